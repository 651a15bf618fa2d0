-- expect error: not enough memory
return buffer.create(2^29)

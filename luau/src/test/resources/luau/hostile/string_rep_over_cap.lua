-- expect error: not enough memory
return string.rep("x", 2^26)

-- expect error: attempt to call a nil value
return string.dump(print)

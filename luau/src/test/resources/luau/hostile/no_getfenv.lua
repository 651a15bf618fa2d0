-- expect error: attempt to call a nil value
return getfenv(1)

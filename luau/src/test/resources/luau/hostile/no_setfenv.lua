-- expect error: attempt to call a nil value
setfenv(1, {})

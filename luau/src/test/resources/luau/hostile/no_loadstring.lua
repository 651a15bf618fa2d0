-- expect error: attempt to call a nil value
return loadstring("return 1")()

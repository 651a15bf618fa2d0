-- expect error: collectgarbage must be called with 'count'
collectgarbage("collect")

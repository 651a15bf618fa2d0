-- expect error: stack overflow
local mt = {}
mt.__add = function(a, b) return a + b end
local x = setmetatable({}, mt)
return x + 1

-- expect error: stack overflow
-- deep recursion on a coroutine (its own virtual thread and Luau stack)
local function f(n) return 1 + f(n + 1) end
local co = coroutine.wrap(function() return f(1) end)
return co()

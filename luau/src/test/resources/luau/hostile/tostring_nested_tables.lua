-- expect error: stack overflow
-- a __tostring that prints its child: a deep chain of nested tables recurses once per level
local mt = {}
mt.__tostring = function(self) return "(" .. tostring(self.child) .. ")" end
local t = setmetatable({}, mt)
for i = 1, 10000 do
  t = setmetatable({child = t}, mt)
end
return tostring(t)

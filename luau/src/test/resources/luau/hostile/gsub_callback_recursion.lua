-- expect error: stack overflow
local function f(s)
  return (string.gsub(s, ".", f))
end
f("x")

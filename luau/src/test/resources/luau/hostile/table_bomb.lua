-- expect error: not enough memory
local t = {}
local i = 0
while true do
  i += 1
  t[i] = {i}
end

-- expect error: not enough memory
-- long strings made by library functions (not concatenation) count too
local s = string.rep("a", 1000)
local t = {}
for i = 1, 1e9 do
  t[i] = s:upper()
end

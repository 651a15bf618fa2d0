-- expect error: not enough memory
local keep = {}
while true do
  local n = #keep
  keep[n + 1] = function() return n, keep end
end

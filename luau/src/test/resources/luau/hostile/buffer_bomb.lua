-- expect error: not enough memory
local keep = {}
while true do
  keep[#keep + 1] = buffer.create(64 * 1024)
end

-- expect error: Script execution time limit exceeded
-- time limit ms: 200
-- exponential backtracking: the matcher checks the time slice
local s = string.rep("a", 40)
return string.find(s, string.rep("a?", 40) .. string.rep("a", 40) .. "b")

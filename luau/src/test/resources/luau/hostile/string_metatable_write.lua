-- expect error: attempt to modify a readonly table
local mt = getmetatable("")
mt.__index = {len = function() return 0 end}

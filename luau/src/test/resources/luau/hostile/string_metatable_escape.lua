-- expect error: attempt to modify a readonly table
getmetatable("").__index.rep = function() return "" end

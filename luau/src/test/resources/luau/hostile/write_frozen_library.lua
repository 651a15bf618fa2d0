-- expect error: attempt to modify a readonly table
string.upper = function() return "pwned" end

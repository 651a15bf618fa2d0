-- expect error: resulting string too large
-- (2^31 itself is INT_MIN to Luau's luaL_checkinteger, so an empty string)
return string.rep("x", 2^31 - 1)

-- expect error: not enough memory
return (string.gsub(string.rep("a", 1000), "a", string.rep("b", 100000)))

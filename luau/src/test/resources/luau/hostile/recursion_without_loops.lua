-- expect error: Script execution time limit exceeded
-- time limit ms: 200
-- exponential recursion stays shallow, so only the call ticks can stop it
local function f(n)
  if n == 0 then return 0 end
  return f(n - 1) + f(n - 1)
end
f(60)

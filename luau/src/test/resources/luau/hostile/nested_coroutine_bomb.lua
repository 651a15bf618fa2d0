-- expect error: C stack overflow
-- every level resumes a new coroutine from inside the previous one
local function bomb()
  coroutine.wrap(bomb)()
end
bomb()

-- expect error: not enough memory
-- every level resumes a new coroutine from inside the previous one
local function bomb()
  coroutine.wrap(bomb)()
end
bomb()

-- expect error: Script execution time limit exceeded
-- time limit ms: 200
-- catching the time-limit error buys nothing: the passed deadline fires again at the next check
while true do
  pcall(function()
    while true do end
  end)
end

-- expect error: Script execution time limit exceeded
-- time limit ms: 200
while true do end

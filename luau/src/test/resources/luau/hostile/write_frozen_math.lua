-- expect error: attempt to modify a readonly table
math.pi = 3

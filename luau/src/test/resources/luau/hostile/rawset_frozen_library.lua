-- expect error: attempt to modify a readonly table
rawset(table, "insert", print)

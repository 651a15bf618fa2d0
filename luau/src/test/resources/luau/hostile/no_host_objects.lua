-- expect error: attempt to index function with 'getClass'
-- there is no path from a Luau value to Java objects
return print.getClass

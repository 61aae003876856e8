echo in-lib
false

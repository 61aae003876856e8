a
a
a

shopt -s failglob
echo /nonexist/*; echo same-line
echo next $?
for f in /nonexist/*.conf; do echo $f; done
echo after-for $?
f() { ls /none/*; echo in-f; }
f; echo after-f $?

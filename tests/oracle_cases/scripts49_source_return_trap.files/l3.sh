trap "echo set-inside \$?" RETURN
echo l3

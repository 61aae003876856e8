false & p=$!; false & q=$!; sleep 0.2 & r=$!
wait $p; echo "p $?"; jobs -l | wc -l
wait $q; echo "q $?"; jobs | wc -l
wait $r; jobs; echo end

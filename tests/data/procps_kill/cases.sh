for c in "-l" "-L" "-l 9" "-l KILL" "-l SIGKILL" "-l kill" "-l 99" "-l 0" "-l 64" "-l 65" "-l FOO" "--list=9" "--list" "-l9" "-lKILL" "-l -9" "--table" "999999" "-9 999999 999998" "-s KILL 999999" "-s 9 999999" "--signal=TERM 999999" "--signal TERM 999999" "-SIGTERM 999999" "-TERM 999999" "-term 999999" "-sigterm 999999" "-x 1" "abc" "12abc" "''" "%1" "-h" "--help" "-V" "--version" "-q 5 999999" "-q x 999999" "-0 999999" "-- 999999" "-s" "--bogus" "-9" "-99 999999" "-FOO 999999" "-s FOO 999999" " 999999 abc 999998" "0x10 999999" "+5" "-s 0 999999" "1 -9" "999999 -s 9" "-65 999999" "-64 999999" "-RTMIN+1 999999" "-s RTMIN 999999" "-l RTMIN" "-l 34" "-l 35" "-l 50" "-l RTMAX" "-l RTMIN+3" "-l RTMAX-1" "-l EXIT" "-l 128" "-l 137" "-hx" "-Vh" ; do
  echo "=== kill $c"
  eval "/bin/kill $c" > out.txt 2> err.txt; st=$?
  echo "--- out"; cat out.txt; echo "--- err"; cat err.txt; echo "--- st $st"
done

a=1; b=2; (( $(echo "$a < $b" | bc -l) )) && echo yes
echo $(( $(echo "1 < 2" | bc) ))
echo $(( "1" + 2 ))
x=5; echo $(( x * "2" ))
(( $(echo "3 > 2" | bc) )) && echo ok2 || echo no2
echo $(( `echo "4"` + 1 ))
echo $(( ${x:-"7"} + 1 ))
echo $(( $((1+"1")) + 1 ))

set -eu
declare -a a
echo "next $?"
echo ${1x}
echo "next $?"

set -u
echo "$zz"

#!/bin/bash
# Records this folder's expected outputs with the real tcpdump 4.99.3 (Debian 12):
#   *.pcap, *.pcapng     public captures (README: where each came from, its licence);
#   cases.txt            one case a line: FILE<TAB>FLAGS (FLAGS as a shell would split them)
#   out/N.out, out/N.err what `tcpdump -r FILE FLAGS` printed for case N (line N of
#                        cases.txt): standard output; standard error then `[exit STATUS]`
# Run:  bash tests/data/captures45/record.sh   (reads files only)
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
export TZ=UTC LC_ALL=C.UTF-8
"${PYTHON:-python3}" "$HERE/craft.py" "$HERE"
cd "$HERE"
rm -rf out && mkdir out
n=0
while IFS=$'\t' read -r file flags; do
    n=$((n + 1))
    status=0
    eval "tcpdump -r $file $flags" > "out/$n.out" 2> "out/$n.err" || status=$?
    echo "[exit $status]" >> "out/$n.err"
done < cases.txt
echo "recorded $n cases"

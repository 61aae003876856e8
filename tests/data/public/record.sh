#!/bin/bash
# Records this folder's fixtures with the real tcpdump 4.99.3 (Debian 12):
#   *.pcap, *.pcapng     made by craft.py (struct only) in this folder
#   cases.txt            one case a line: FILE<TAB>FLAGS (FLAGS as a shell would split them)
#   out/N.out, out/N.err what `tcpdump -r FILE FLAGS` printed for case N (line N of
#                        cases.txt): standard output; standard error then `[exit STATUS]`
#   out/copy_*.pcap      what `tcpdump -r FILE -w OUT FILTER` wrote
# Run:  PYTHON=.venv/bin/python bash tests/data/public/record.sh   (reads files only)
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
PYTHON=${PYTHON:-python3}
"$PYTHON" "$HERE/craft.py" "$HERE"
export TZ=UTC LC_ALL=C.UTF-8
cd "$HERE"
rm -rf out && mkdir out
n=0
while IFS=$'\t' read -r file flags; do
    n=$((n + 1))
    status=0
    eval "tcpdump -r $file $flags" > "out/$n.out" 2> "out/$n.err" || status=$?
    echo "[exit $status]" >> "out/$n.err"
done < cases.txt
# `tcpdump -r IN -w OUT [-c N] FILTER` copies: the files the real tcpdump wrote
tcpdump -r multi.pcapng -w out/copy_udp.pcap udp 2>/dev/null
tcpdump -r big_endian.pcapng -c 3 -w out/copy_c3.pcap 'ip or ip6' 2>/dev/null
tcpdump -r nano.pcap --nano -w out/copy_nano.pcap icmp 2>/dev/null
tcpdump -r sctp.pcap --nano -c 3 -w out/copy_nano_c3.pcap 2>/dev/null
echo "recorded $n cases"

#!/usr/bin/env bash
# XTC decoding throughput, remcg against GROMACS in one run, on a ~1 GB trajectory made by
# concatenating the SPC/E example's aa.xtc (1530 atoms, 201 frames) N times (default 1000).
# remcg runs with a 64 MB heap cap to show that memory does not grow with the file.
#   usage: bash remcg-bench/peers/xtc-vs-gmx.sh [copies]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
copies=${1:-1000}
big=$(mktemp --suffix=.xtc)
trap 'rm -f "$big"' EXIT
for _ in $(seq "$copies"); do cat "$root/examples/spce-water/aa.xtc"; done > "$big"
echo "file: $(du -h "$big" | cut -f1), $((201 * copies)) frames"
"$root/remcg" --version > /dev/null   # build first, outside the timing
/usr/bin/time -f "gmx check -f: %e s wall, max RSS %M kB" gmx -quiet check -f "$big" 2>&1 >/dev/null | tail -1
REMCG_JAVA_OPTS=-Xmx64m /usr/bin/time -f "remcg bench xtc (whole command, 2 sequential + 2 indexed passes): %e s wall, max RSS %M kB" \
    "$root/remcg" bench xtc "$big" --repeat 2

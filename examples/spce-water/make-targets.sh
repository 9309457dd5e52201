#!/usr/bin/env bash
# Makes the file targets of remcg-file.yaml from the bundled trajectory aa.xtc:
#   targets/rdf-W-W.csv   g(r) of the one-bead water (centre of mass, mapping.yaml), 0.01 nm bins
#                         [0, 0.01), [0.01, 0.02), ... up to 1.2 nm, labelled by their centres;
#                         columns r, g_W-W and se_W-W (each bin's standard error from blocks of frames)
#   targets/cg-start.gro  the first frame mapped to beads: the start configuration and box of the fit
# Run from anywhere: bash make-targets.sh   (REMCG=... to use another remcg command)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
remcg=${REMCG:-$here/../../remcg}
cd "$here"
mkdir -p targets
$remcg rdf --top conf.gro --topology topol.top --traj aa.xtc --mapping mapping.yaml --rmax 1.2 --bin 0.01 --out targets/rdf-W-W.csv --quiet
rm -f targets/rdf-W-W.png
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
$remcg map --top conf.gro --topology topol.top --traj aa.xtc --mapping mapping.yaml --end 1 --out "$tmp/first.gro" \
    --out-conf targets/cg-start.gro --quiet

#!/usr/bin/env bash
# Makes the target RDFs of the methanol-water example from the reference trajectory (aa.xtc, see
# make-reference.sh), with the molecules mapped to one bead each by mapping.yaml (W water, M
# methanol, centres of mass; masses from topol.top):
#
#   targets/rdf-W-W.csv, targets/rdf-M-M.csv, targets/rdf-M-W.csv
#       each three columns, r (nm, bin centre), g and se (the standard error of g from blocks of
#       frames, remcg rdf's default --blocks), bins of 0.01 nm up to 1.5 nm, all frames; remcg rdf
#       writes every pair's g and se as columns of one CSV, and the awk below splits it up
#   targets/cg-start.gro
#       the first frame mapped to beads (4000 beads: 1000 M, then 3000 W), a CG start configuration
#
# The command is ../../remcg; REMCG overrides it (e.g. REMCG="java -jar remcg-cli.jar").
# Run from anywhere: bash make-targets.sh
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
if [ -n "${REMCG:-}" ]; then
    read -ra remcg <<< "$REMCG"    # a command with arguments, split at blanks
else
    remcg=("$here/../../remcg")
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
pairs=(W-W M-M M-W)

cd "$here"
"${remcg[@]}" rdf --top conf.gro --topology topol.top --traj aa.xtc --mapping mapping.yaml \
    --rmax 1.5 --bin 0.01 --pairs "$(IFS=,; echo "${pairs[*]}")" --out "$work/rdf.csv"
mkdir -p targets
for p in "${pairs[@]}"; do
    awk -F, -v want="g_$p" -v wantse="se_$p" '
        NR == 1 { for (i = 2; i <= NF; i++) { if ($i == want) col = i; if ($i == wantse) se = i }
                  if (!col || !se) { print "no column " want " or " wantse " in " FILENAME > "/dev/stderr"; exit 1 } }
        { print $1 "," $col "," $se }' "$work/rdf.csv" > "targets/rdf-$p.csv"
done
"${remcg[@]}" map --top conf.gro --topology topol.top --traj aa.xtc --mapping mapping.yaml \
    --end 1 --out "$work/cg-start.xtc" --out-conf targets/cg-start.gro
head -3 targets/rdf-*.csv

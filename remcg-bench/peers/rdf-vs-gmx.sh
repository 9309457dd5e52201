#!/usr/bin/env bash
# Map + RDF of the SPC/E example, remcg against `gmx rdf`, in one run: the O-O RDF and the
# centre-of-mass RDF (gmx: -selrpos mol_com -seltype mol_com; remcg: examples/mapping/spce.yaml),
# bins of 0.002 nm up to 1.2 nm, GROMACS normalization, on aa.xtc concatenated COPIES times
# (default 20: 4020 frames, 21 MB; gmx warns about the repeated times and carries on).
# remcg runs on 1 and 2 threads. Each line reports wall and user CPU time and peak RSS; the
# script ends with the largest difference between the two tools' g(r) (gmx prints 3 decimals).
# With BIG_COPIES=N (e.g. 1000: 1.08 GB) it also runs remcg's O-O RDF (r_max 0.6 nm, to spare the
# shared machine; memory does not depend on it) on that file and on aa.xtc alone, each with a
# 64 MB heap under /usr/bin/time -v, to show that memory does not grow with the trajectory.
#   usage: bash remcg-bench/peers/rdf-vs-gmx.sh [copies]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
ex="$root/examples/spce-water"
copies=${1:-20}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
export GMX_MAXBACKUP=-1 OMP_NUM_THREADS=1
for _ in $(seq "$copies"); do cat "$ex/aa.xtc"; done > long.xtc
echo "trajectory: $(du -h long.xtc | cut -f1), $((201 * copies)) frames of 1530 atoms (510 SPC/E waters, 2.5 nm box)"
printf 'integrator = md\nnsteps = 0\ncutoff-scheme = Verlet\ncoulombtype = PME\nrcoulomb = 0.9\nrvdw = 0.9\nconstraints = h-bonds\n' > run.mdp
gmx -quiet grompp -f run.mdp -c "$ex/conf.gro" -p "$ex/topol.top" -o run.tpr -maxwarn 2 > grompp.log 2>&1
"$root/remcg" --version > /dev/null   # build first, outside the timing
fmt="%e s wall, %U s user, max RSS %M kB"
common=(-bin 0.002 -rmax 1.2)
/usr/bin/time -f "gmx rdf O-O:                $fmt" gmx -quiet rdf -f long.xtc -s run.tpr "${common[@]}" -ref 'name OW' -sel 'name OW' \
    -o gmx-oo.xvg > gmx-oo.log 2>&1 || { cat gmx-oo.log; exit 1; }
tail -1 gmx-oo.log
/usr/bin/time -f "gmx rdf COM (mol_com):      $fmt" gmx -quiet rdf -f long.xtc -s run.tpr "${common[@]}" -selrpos mol_com -seltype mol_com \
    -ref 'resname SOL' -sel 'resname SOL' -o gmx-com.xvg > gmx-com.log 2>&1 || { cat gmx-com.log; exit 1; }
tail -1 gmx-com.log
for t in 1 2; do
    /usr/bin/time -f "remcg rdf O-O, $t thread(s):   $fmt" "$root/remcg" rdf --top "$ex/conf.gro" --traj long.xtc --pairs OW-OW \
        --rmax 1.2 --bin 0.002 --norm gromacs --threads "$t" --out remcg-oo.xvg
    /usr/bin/time -f "remcg rdf COM, $t thread(s):   $fmt" "$root/remcg" rdf --top "$ex/conf.gro" --topology "$ex/topol.top" --traj long.xtc \
        --mapping "$root/examples/mapping/spce.yaml" --rmax 1.2 --bin 0.002 --norm gromacs --threads "$t" --out remcg-com.xvg
done
for w in oo com; do
    paste <(grep -v '^[#@]' "gmx-$w.xvg") <(grep -v '^[#@]' "remcg-$w.xvg") | awk -v w="$w" '
        { d = $2 - $4; if (d < 0) d = -d; if (d > m) m = d; if (d <= 0.0005) same++; n++ }
        END { printf "%s: %d of %d bins agree to gmx'"'"'s printed digits, largest difference %.5f\n", w, same, n, m }'
done
if [ "${BIG_COPIES:-0}" -gt 0 ]; then
    for _ in $(seq "$BIG_COPIES"); do cat "$ex/aa.xtc"; done > big.xtc
    echo "big trajectory: $(du -h big.xtc | cut -f1), $((201 * BIG_COPIES)) frames"
    REMCG_JAVA_OPTS=-Xmx64m /usr/bin/time -v "$root/remcg" rdf --top "$ex/conf.gro" --traj big.xtc --pairs OW-OW --rmax 0.6 --bin 0.002 \
        --out big.csv 2> big.time
    grep -E "Maximum resident|Elapsed|User time|Exit status" big.time
    REMCG_JAVA_OPTS=-Xmx64m /usr/bin/time -v "$root/remcg" rdf --top "$ex/conf.gro" --traj "$ex/aa.xtc" --pairs OW-OW --rmax 0.6 --bin 0.002 \
        --out small.csv 2> small.time
    echo "the same on the 1 MB aa.xtc alone:"
    grep -E "Maximum resident|Exit status" small.time
fi

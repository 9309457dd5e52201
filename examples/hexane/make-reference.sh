#!/usr/bin/env bash
# Makes the atomistic reference data of the n-hexane example with GROMACS (tested with the
# Debian package, GROMACS 2022.5, mixed precision):
#
#   hexane.itp  the molecule: OPLS-AA all-atom n-hexane (CH3 opls_135, CH2 opls_136, H opls_140),
#               written by hand; bonded parameters from oplsaa.ff/ffbonded.itp by bond type
#   hexane.gro  one all-trans molecule (input of gmx insert-molecules)
#   conf.gro    start of the production run (all atoms; residue HEX, atoms C1..C6, H11..H63)
#   topol.top   the GROMACS topology
#   aa.xtc      production positions, 60 ps every 0.5 ps (121 frames), NVT at 300 K
#
# The run: 120 molecules inserted at random into a 2.970 nm cubic box (the experimental liquid
# density at 298 K, 0.655 g/cm^3), steepest-descent minimisation, 20 ps NVT equilibration with
# fresh velocities, 60 ps NVT production (v-rescale, tau 0.1 ps), PME with 1.0 nm cut-offs,
# bonds to hydrogen constrained. Run from anywhere: bash make-reference.sh
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
export GMX_MAXBACKUP=-1
threads=${THREADS:-2}
nmol=120
box=2.970

cp "$here/hexane.itp" "$here/hexane.gro" .
gmx -quiet insert-molecules -ci hexane.gro -nmol "$nmol" -box "$box" "$box" "$box" -try 500 -scale 0.45 -seed 20261203 -o inserted.gro
got=$(( $(sed -n 2p inserted.gro) / 20 ))
if [ "$got" -ne "$nmol" ]; then
    echo "insert-molecules placed $got of $nmol molecules" >&2
    exit 1
fi
cat > topol.top <<TOP
#include "oplsaa.ff/forcefield.itp"
#include "hexane.itp"

[ system ]
n-hexane, $nmol molecules

[ molecules ]
HEX $nmol
TOP

common="cutoff-scheme = Verlet
coulombtype = PME
rcoulomb = 1.0
rvdw = 1.0
DispCorr = EnerPres
constraints = h-bonds
nstcalcenergy = 100
nstlog = 5000
nstenergy = 500"

printf 'integrator = steep\nnsteps = 2000\n%s\n' "$common" > em.mdp
printf 'integrator = md\ndt = 0.002\nnsteps = 10000\n%s\ntcoupl = v-rescale\ntc-grps = System\ntau_t = 0.1\nref_t = 300\ngen-vel = yes\ngen-temp = 300\ngen-seed = 20261203\n' "$common" > eq.mdp
printf 'integrator = md\ndt = 0.002\nnsteps = 30000\n%s\ntcoupl = v-rescale\ntc-grps = System\ntau_t = 0.1\nref_t = 300\nld-seed = 20261204\ncontinuation = yes\nnstxout-compressed = 250\n' "$common" > md.mdp

gmx -quiet grompp -f em.mdp -c inserted.gro -p topol.top -o em.tpr
gmx -quiet mdrun -nt "$threads" -s em.tpr -deffnm em
gmx -quiet grompp -f eq.mdp -c em.gro -p topol.top -o eq.tpr
gmx -quiet mdrun -nt "$threads" -s eq.tpr -deffnm eq
gmx -quiet grompp -f md.mdp -c eq.gro -t eq.cpt -p topol.top -o md.tpr
gmx -quiet mdrun -nt "$threads" -s md.tpr -deffnm md
echo Pressure | gmx -quiet energy -f md.edr -o pressure.xvg | tail -4

cp eq.gro "$here/conf.gro"
cp topol.top "$here/topol.top"
cp md.xtc "$here/aa.xtc"
ls -l "$here"

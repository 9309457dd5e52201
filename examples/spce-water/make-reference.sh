#!/usr/bin/env bash
# Makes the atomistic reference data of the SPC/E water example with GROMACS (tested with the
# Debian package, GROMACS 2022.5, mixed precision):
#
#   conf.gro    start of the production run (all atoms; residue SOL, atoms OW HW1 HW2)
#   topol.top   the GROMACS topology (OPLS-AA SPC/E from the GROMACS share directory)
#   aa.xtc      production positions, 100 ps every 0.5 ps (201 frames), NVT at 300 K
#   aa.trr      the same run's positions and forces every 2 ps (51 frames, single precision)
#   reference/rdf-OW-OW.xvg   `gmx rdf` of the oxygens on aa.xtc, bin 0.002 nm up to 1.2 nm
#   reference/rdf-com.xvg     `gmx rdf` of the molecular centres of mass, same bins
#
# The run: 2.5 nm cubic box filled from spc216.gro, steepest-descent minimisation, 20 ps NVT
# equilibration with fresh velocities, 100 ps NVT production (v-rescale, tau 0.1 ps), PME with
# 0.9 nm cut-offs, rigid water (SETTLE). Run from anywhere: bash make-reference.sh
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
export GMX_MAXBACKUP=-1
threads=${THREADS:-2}

gmx -quiet solvate -cs spc216.gro -box 2.5 2.5 2.5 -o solvated.gro
nwat=$(( $(sed -n 2p solvated.gro) / 3 ))
cat > topol.top <<TOP
#include "oplsaa.ff/forcefield.itp"
#include "oplsaa.ff/spce.itp"

[ system ]
SPC/E water, $nwat molecules

[ molecules ]
SOL $nwat
TOP

common="cutoff-scheme = Verlet
coulombtype = PME
rcoulomb = 0.9
rvdw = 0.9
DispCorr = EnerPres
constraints = h-bonds
nstlog = 5000
nstenergy = 500"

printf 'integrator = steep\nnsteps = 500\n%s\n' "$common" > em.mdp
printf 'integrator = md\ndt = 0.002\nnsteps = 10000\n%s\ntcoupl = v-rescale\ntc-grps = System\ntau_t = 0.1\nref_t = 300\ngen-vel = yes\ngen-temp = 300\ngen-seed = 20261203\n' "$common" > eq.mdp
printf 'integrator = md\ndt = 0.002\nnsteps = 50000\n%s\ntcoupl = v-rescale\ntc-grps = System\ntau_t = 0.1\nref_t = 300\nld-seed = 20261204\ncontinuation = yes\nnstxout-compressed = 250\nnstxout = 1000\nnstfout = 1000\n' "$common" > md.mdp

gmx -quiet grompp -f em.mdp -c solvated.gro -p topol.top -o em.tpr
gmx -quiet mdrun -nt "$threads" -s em.tpr -deffnm em
gmx -quiet grompp -f eq.mdp -c em.gro -p topol.top -o eq.tpr
gmx -quiet mdrun -nt "$threads" -s eq.tpr -deffnm eq
gmx -quiet grompp -f md.mdp -c eq.gro -t eq.cpt -p topol.top -o md.tpr
gmx -quiet mdrun -nt "$threads" -s md.tpr -deffnm md

mkdir -p "$here/reference"
gmx -quiet rdf -f md.xtc -s md.tpr -bin 0.002 -rmax 1.2 -ref 'name OW' -sel 'name OW' -o rdf-OW-OW.xvg
gmx -quiet rdf -f md.xtc -s md.tpr -bin 0.002 -rmax 1.2 -selrpos mol_com -seltype mol_com \
    -ref 'resname SOL' -sel 'resname SOL' -o rdf-com.xvg
cp eq.gro "$here/conf.gro"
cp topol.top "$here/topol.top"
cp md.xtc "$here/aa.xtc"
cp md.trr "$here/aa.trr"
cp rdf-OW-OW.xvg rdf-com.xvg "$here/reference/"
ls -l "$here" "$here/reference"

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
source "$(dirname "$0")/../../scripts/lib/gromacs.sh"
gmx_workdir
nmol=120
box=2.970

cp "$here/hexane.itp" "$here/hexane.gro" .
gmx -quiet insert-molecules -ci hexane.gro -nmol "$nmol" -box "$box" "$box" "$box" -try 500 -scale 0.45 -seed 20261203 -o inserted.gro
got=$(( $(sed -n 2p inserted.gro) / 20 ))
if [ "$got" -ne "$nmol" ]; then
    echo "insert-molecules placed $got of $nmol molecules" >&2
    exit 1
fi
gmx_topology "n-hexane, $nmol molecules" hexane.itp "HEX $nmol"

common="$(gmx_common 1.0)
constraints = h-bonds"
gmx_mdp em 'integrator = steep' 'nsteps = 2000' "$common"
gmx_stage em inserted.gro
gmx_nvt_equilibration 10000 em.gro 20261203 "$common"
gmx_nvt_production 30000 "$common" 'ld-seed = 20261204' 'nstxout-compressed = 250'

gmx_keep_reference
ls -l "$here"

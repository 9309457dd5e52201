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
source "$(dirname "$0")/../../scripts/lib/gromacs.sh"
gmx_workdir

gmx_solvate_water 2.5 solvated.gro
gmx_topology "SPC/E water, $nwat molecules" oplsaa.ff/spce.itp "SOL $nwat"

common="$(gmx_common 0.9)
constraints = h-bonds"
gmx_mdp em 'integrator = steep' 'nsteps = 500' "$common"
gmx_stage em solvated.gro
gmx_nvt_equilibration 10000 em.gro 20261203 "$common"
gmx_nvt_production 50000 "$common" 'ld-seed = 20261204' 'nstxout-compressed = 250' 'nstxout = 1000' 'nstfout = 1000'

mkdir -p "$here/reference"
gmx -quiet rdf -f md.xtc -s md.tpr -bin 0.002 -rmax 1.2 -ref 'name OW' -sel 'name OW' -o rdf-OW-OW.xvg
gmx -quiet rdf -f md.xtc -s md.tpr -bin 0.002 -rmax 1.2 -selrpos mol_com -seltype mol_com \
    -ref 'resname SOL' -sel 'resname SOL' -o rdf-com.xvg
gmx_keep_reference
cp md.trr "$here/aa.trr"
cp rdf-OW-OW.xvg rdf-com.xvg "$here/reference/"
ls -l "$here" "$here/reference"

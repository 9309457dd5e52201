#!/usr/bin/env bash
# Makes the atomistic reference data of the methanol-water example with GROMACS (tested with the
# Debian package, GROMACS 2022.5, mixed precision):
#
#   methanol.itp  OPLS-AA methanol, the installed oplsaa.ff/methanol.itp with its three methyl
#                 hydrogens renamed H1 H2 H3 (the original calls all three H, and a mapping names
#                 atoms, so they must differ); types, charges and bonded terms unchanged
#   conf.gro      start of the production run, all atoms: 1000 methanol (residue MET, atoms C H1 H2
#                 H3 OA HO) first, then 3000 SPC/E water (residue SOL, atoms OW HW1 HW2)
#   topol.top     the GROMACS topology (oplsaa.ff/forcefield.itp, oplsaa.ff/spce.itp, methanol.itp)
#   aa.xtc        production positions, 280 ps every 2 ps (141 frames), NVT at 300 K
#
# The run: methanol mole fraction 0.25. One methanol and one water molecule are written below by
# hand and placed at random (gmx insert-molecules, fixed seeds) into a 5.5 nm cubic box, 8% more
# volume than the liquid needs; steepest-descent minimisation with flexible bonds; 100 ps NPT with
# fresh velocities (v-rescale 300 K, tau 0.1 ps; C-rescale 1 bar, tau 2 ps); the last NPT frame
# scaled to the mean volume of the last 50 ps; 20 ps NVT equilibration in that box with fresh
# velocities; 280 ps NVT production (v-rescale, tau 0.1 ps). PME, 1.0 nm cut-offs with dispersion
# correction, bonds to hydrogen constrained (SETTLE for water), dt 2 fs. The seeds are fixed, but
# a multi-threaded mdrun is not bitwise reproducible: a rerun gives statistically equivalent files.
#
# Result of the run that made the files here: NPT density 925.6 kg/m^3 (mean of the last 50 ps,
# +-0.7; experiment roughly 935-940 kg/m^3 near 300 K, so about 1% low),
# NVT box 5.36537 nm, mean production pressure -6 +- 6 bar; aa.xtc 7.6 MB. Wall time 47 min with
# THREADS=2 on a 2-core machine shared with other work (37 min in an earlier, quieter run; about
# 15 ns/day for the 15000 atoms).
#
# Run from anywhere: bash make-reference.sh   (THREADS=n sets the mdrun thread count)
set -euo pipefail
source "$(dirname "$0")/../../scripts/lib/gromacs.sh"
gmx_workdir
nmeoh=1000
nwat=3000
box=5.5
# the force-field directory of the installed GROMACS (GMXTOP=... to override)
gmxtop=${GMXTOP:-$(gmx --version 2>&1 | sed -n 's/^Data prefix: *//p')/share/gromacs/top}

# methanol.itp: rename the methyl hydrogens in [ atoms ], copy everything else as it is
awk 'BEGIN { print "; OPLS-AA methanol from the GROMACS oplsaa.ff/methanol.itp, methyl hydrogens renamed H1 H2 H3" }
     /^ *\[/ { section = $2 }
     section == "atoms" && $5 == "H" { printf "%6d %14s %7d %7s %8s %7d\t%s\n", $1, $2, $3, $4, "H" (++n), $6, $7; next }
     { print }' "$gmxtop/oplsaa.ff/methanol.itp" > methanol.itp

# one molecule each; C-O 0.141, O-H 0.0945, C-H 0.109 nm, water O-H 0.1 nm, H-O-H 109.47 deg
cat > methanol.gro <<'GRO'
one OPLS-AA methanol
6
    1MET      C    1   0.300   0.300   0.300
    1MET     H1    2   0.197   0.300   0.264
    1MET     H2    3   0.351   0.389   0.264
    1MET     H3    4   0.351   0.211   0.264
    1MET     OA    5   0.300   0.300   0.441
    1MET     HO    6   0.390   0.300   0.471
   0.60000   0.60000   0.60000
GRO
cat > water.gro <<'GRO'
one SPC/E water
3
    1SOL     OW    1   0.300   0.300   0.300
    1SOL    HW1    2   0.382   0.358   0.300
    1SOL    HW2    3   0.218   0.358   0.300
   0.60000   0.60000   0.60000
GRO

gmx -quiet insert-molecules -ci methanol.gro -nmol "$nmeoh" -box "$box" "$box" "$box" -try 200 -seed 20261211 -o meoh.gro
gmx -quiet insert-molecules -f meoh.gro -ci water.gro -nmol "$nwat" -try 200 -seed 20261212 -o inserted.gro
natoms=$(sed -n 2p inserted.gro)
if [ "$natoms" -ne $(( 6 * nmeoh + 3 * nwat )) ]; then
    echo "insert-molecules placed $natoms atoms, expected $(( 6 * nmeoh + 3 * nwat ))" >&2
    exit 1
fi
gmx_topology "methanol-water, x(methanol) = 0.25" "oplsaa.ff/spce.itp methanol.itp" "MET $nmeoh
SOL $nwat"

# the bonds to hydrogen are constrained in the dynamics runs only
common=$(gmx_common 1.0)

# minimise with flexible bonds (and flexible water): constraints on the overlapping molecules of the
# random insertion would only produce LINCS warnings
gmx_mdp em 'integrator = steep' 'nsteps = 5000' 'emtol = 500' 'define = -DFLEXIBLE' 'constraints = none' "$common"
gmx_stage em inserted.gro
gmx_md_mdp npt 50000 "$common" "$gmx_vrescale" 'constraints = h-bonds' 'pcoupl = C-rescale' 'pcoupltype = isotropic' \
    'tau_p = 2.0' 'ref_p = 1.0' 'compressibility = 4.5e-5' "$(gmx_fresh_velocities 20261213)" 'ld-seed = 20261214'
gmx_stage npt em.gro

# the box for NVT: cube of the mean volume over the last 50 ps of NPT
echo Volume | gmx -quiet energy -f npt.edr -b 50 -o volume.xvg > volume.txt
echo Density | gmx -quiet energy -f npt.edr -b 50 -o density.xvg > density.txt
volume=$(awk '$1 == "Volume" { print $2 }' volume.txt)
edge=$(awk -v v="$volume" 'BEGIN { printf "%.5f", v ^ (1 / 3) }')
last=$(tail -1 npt.gro | awk '{ print $1 }')
scale=$(awk -v a="$edge" -v b="$last" 'BEGIN { printf "%.6f", a / b }')
echo "NPT, last 50 ps: mean volume $volume nm^3, edge $edge nm (last frame $last nm, scale $scale)"
awk '$1 == "Density"' density.txt
gmx -quiet editconf -f npt.gro -scale "$scale" -o scaled.gro

gmx_nvt_equilibration 10000 scaled.gro 20261215 "$common" 'constraints = h-bonds' 'ld-seed = 20261216'
gmx_nvt_production 140000 "$common" 'constraints = h-bonds' 'ld-seed = 20261217' 'nstxout-compressed = 1000'

cp methanol.itp "$here/"
gmx_keep_reference
ls -l "$here"

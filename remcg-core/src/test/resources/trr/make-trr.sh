#!/bin/sh
# Regenerates the TRR test data of TrrReaderTest with the GROMACS installed on the machine
# (made with GROMACS 2022.5, Debian packages gromacs and gromacs (gmx_d)).
#
#   water.trr       SPC/E water, mixed (single) precision, 21 frames with x, v and f
#   water.dump.gz   `gmx dump` of it in long format (%15.8e, 9 significant digits): the reference
#   water_d.trr     the same system run with double-precision GROMACS (gmx_d), 3 frames
#   water_d.dump.gz `gmx_d dump` of it
#
# Run from this directory: sh make-trr.sh
set -eu
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"

cat > topol.top <<'TOP'
#include "oplsaa.ff/forcefield.itp"
#include "oplsaa.ff/spce.itp"

[ system ]
SPC/E water

[ molecules ]
TOP

cat > md.mdp <<'MDP'
integrator      = md
dt              = 0.002
nsteps          = NSTEPS
nstxout         = 50
nstvout         = 50
nstfout         = 50
nstxout-compressed = 0
nstenergy       = 0
nstlog          = 0
nstcalcenergy   = 100
cutoff-scheme   = Verlet
rlist           = 0.8
coulombtype     = Reaction-field
rcoulomb        = 0.8
epsilon-rf      = 0
vdwtype         = Cut-off
rvdw            = 0.8
tcoupl          = v-rescale
tc-grps         = System
tau-t           = 0.1
ref-t           = 300
gen-vel         = yes
gen-temp        = 300
gen-seed        = 1993
constraints     = h-bonds
MDP

# A 1.8 nm cube of equilibrated SPC water from GROMACS' own library (spc216.gro)
gmx -quiet solvate -cs spc216.gro -box 1.8 1.8 1.8 -o conf.gro -p topol.top >solvate.log 2>&1

run() { # $1 = gmx binary, $2 = nsteps, $3 = output name
    sed "s/NSTEPS/$2/" md.mdp > run.mdp
    "$1" -quiet grompp -f run.mdp -c conf.gro -p topol.top -o run.tpr -maxwarn 1 >grompp.log 2>&1
    "$1" -quiet mdrun -nt 1 -s run.tpr -o "$3.trr" -e ener.edr -g md.log -c out.gro -cpo state.cpt >mdrun.log 2>&1
    GMX_PRINT_LONGFORMAT=1 "$1" -quiet dump -f "$3.trr" 2>/dev/null | gzip -9n > "$here/$3.dump.gz"
    cp "$3.trr" "$here/$3.trr"
}
run gmx 1000 water
run gmx_d 100 water_d

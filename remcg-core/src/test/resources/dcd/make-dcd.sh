#!/bin/sh
# Regenerates the DCD test data of DcdReaderTest.
#
# The trajectories come from LAMMPS (made with LAMMPS 29 Sep 2021 Update 2, Debian package lammps):
# a Lennard-Jones argon fluid (units real: Angstrom, fs), 200 atoms on an fcc lattice, 190 steps
# dumped every 10 steps (20 frames), in an orthogonal box (NVT) and in a triclinic box (NPT with
# tri coupling, so the cell changes every frame). The text dumps (id type x y z, sorted by id,
# 10 significant digits, gzipped) are the reference:
#   ortho.lammpstrj.gz, tri.lammpstrj.gz
#
# Debian's LAMMPS is built without the EXTRA-DUMP package, so it cannot write DCD ("dump dcd"
# is unknown). The DCD files are therefore written from the same frames by two independent DCD
# writers from Debian packages (see make-dcd.py):
#   *.mdtraj.dcd    MDTraj 1.9.7 (python3-mdtraj; VMD's DCD writer: CHARMM flavour, unit cell
#                   angles stored as cosines, as LAMMPS and NAMD > 2.5 do)
#   *.mda.dcd       MDAnalysis 2.4.2 (python3-mdanalysis; CHARMM flavour, angles in degrees)
#
# Run from this directory: sh make-dcd.sh   (needs lmp, /usr/bin/python3 with mdtraj and MDAnalysis)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"

run() { # $1 = name, $2 = region command, $3 = fix command
    cat > in.$1 <<IN
units           real
atom_style      atomic
boundary        p p p
lattice         fcc 5.4
$2
create_box      1 box
create_atoms    1 box
mass            1 39.948
pair_style      lj/cut 8.0
pair_coeff      1 1 0.2381 3.405
velocity        all create 150.0 4928459 dist gaussian
timestep        5.0
$3
thermo          50
dump            2 all custom 10 $1.lammpstrj id type x y z
dump_modify     2 sort id format float %.10g
run             190
IN
    lmp -in in.$1 -log none -screen none
    gzip -9n < $1.lammpstrj > "$here/$1.lammpstrj.gz"
    /usr/bin/python3 "$here/make-dcd.py" $1.lammpstrj "$here/$1"
}
run ortho "region box block 0 5 0 5 0 2" "fix 1 all nvt temp 150.0 150.0 100.0"
run tri "region box prism 0 5 0 5 0 2 1 0.5 0.5" "fix 1 all npt temp 150.0 150.0 100.0 tri 500.0 500.0 1000.0"

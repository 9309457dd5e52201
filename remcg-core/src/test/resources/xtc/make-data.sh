#!/usr/bin/env bash
# Regenerates the XTC test data in this directory with GROMACS (tested with 2022.5, Debian).
#
#   water.xtc          221 SPC/E waters (663 atoms), NPT, 51 frames written by mdrun
#   water.trr          the same frames as GROMACS decodes them (trjconv to full-precision TRR):
#                      the bit-exact reference for XtcReader
#   water.xtc.dump.gz  `gmx dump` of the first 3 frames of water.xtc (text reference)
#   first6.xtc         the first 6 atoms (<= 9 atoms: stored uncompressed), 5 frames, + .dump.gz
#   first10.xtc        the first 10 atoms (smallest compressed frame), 5 frames, + .dump.gz
#   ndec4.xtc          all atoms at precision 10000, 5 frames, + .dump.gz
#   ndec7.xtc          all atoms at precision 1e7: coordinate ranges > 2^24, so GROMACS uses
#                      its "large" per-coordinate bit widths, 3 frames, + .dump.gz
#   tric.xtc           one frame in a triclinic box (editconf), + .dump.gz
#
# GROMACS 2022 can neither read nor write the 2023-magic (64-bit byte count) layout; the
# tests build such frames from water.xtc themselves.
set -euo pipefail
source "$(dirname "$0")/../../../../../scripts/lib/gromacs.sh"
gmx_workdir
# one thread and -reprod: the same GROMACS build makes the same files again
threads=1
mdrun_options=-reprod

gmx_solvate_water 2 water.gro
gmx_topology water oplsaa.ff/spce.itp "SOL $nwat"
gmx_md_mdp md 2000 'nstxout-compressed = 40' 'nstlog = 1000' 'nstenergy = 1000' 'cutoff-scheme = Verlet' \
    'coulombtype = PME' 'rcoulomb = 0.9' 'rvdw = 0.9' 'constraints = h-bonds' "$gmx_vrescale" \
    'pcoupl = C-rescale' 'tau_p = 1.0' 'ref_p = 1.0' 'compressibility = 4.5e-5' "$(gmx_fresh_velocities 20240611)"
gmx_stage md water.gro -maxwarn 1

cp md.xtc water.xtc
gmx -quiet trjconv -f water.xtc -o water.trr
gmx -quiet trjconv -f water.xtc -e 0.16 -o head3.xtc
gmx -quiet dump -f head3.xtc 2>/dev/null | gzip -9n > water.xtc.dump.gz

printf '[ first6 ]\n1 2 3 4 5 6\n[ first10 ]\n1 2 3 4 5 6 7 8 9 10\n' > index.ndx
echo 0 | gmx -quiet trjconv -f water.xtc -n index.ndx -e 0.32 -o first6.xtc
echo 1 | gmx -quiet trjconv -f water.xtc -n index.ndx -e 0.32 -o first10.xtc
gmx -quiet trjconv -f water.xtc -e 0.32 -ndec 4 -o ndec4.xtc
gmx -quiet trjconv -f water.xtc -e 0.16 -ndec 7 -o ndec7.xtc
gmx -quiet editconf -f water.gro -bt triclinic -box 2.1 2.2 2.3 -angles 80 75 65 -o tric.gro
gmx -quiet trjconv -f tric.gro -o tric.xtc
for f in first6 first10 ndec4 ndec7 tric; do
    gmx -quiet dump -f $f.xtc 2>/dev/null | gzip -9n > $f.xtc.dump.gz
done

cp water.xtc water.trr water.xtc.dump.gz "$here"/
for f in first6 first10 ndec4 ndec7 tric; do
    cp $f.xtc $f.xtc.dump.gz "$here"/
done
ls -l "$here"

#!/usr/bin/env bash
# Acceptance check of a fit to a g(r) file: fits one-bead SPC/E water to targets/rdf-W-W.csv (0.01 nm
# bins) with the built-in engine, then runs the exported LAMMPS tables in LAMMPS (not remcg's engine)
# and compares LAMMPS' g(r) with the target on the target's own bins: max |dg| and the rms over the
# bins from 0.2 nm to the cutoff, with the block standard errors of the LAMMPS run.
# Run from the repository root:  bash examples/spce-water/check-lammps.sh ["mpirun -np 2 lmp"]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
lmp=${1:-lmp}
cfg="$here/remcg-file.yaml"
out="$root/out/spce-water-file"
"$root/remcg" fit "$cfg" --overwrite
"$root/remcg" validate "$cfg" --lmp "$lmp"
# the summary over 0.2-0.9 nm, from the comparison file (bins: x,target,model,model_error,bin_lo,bin_hi,z)
awk -F, 'NR > 1 && $5 >= 0.2 - 1e-9 && $6 <= 0.9 + 1e-9 {
           d = $2 - $3; if (d < 0) d = -d; if (d > max) { max = d; at = $1 }
           ss += d * d; n++; se += $4 * $4 }
         END { printf "LAMMPS against the target, %d bins 0.2-0.9 nm: max |dg| %.4f at r = %.3f nm, rms %.4f, L2 %.4f nm^1/2; LAMMPS rms error per bin %.4f\n",
                      n, max, at, sqrt(ss / n), sqrt(ss * 0.01), sqrt(se / n) }' "$out/validation-lammps/pair_W-W.csv"

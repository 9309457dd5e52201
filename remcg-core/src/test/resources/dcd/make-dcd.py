"""Writes the frames of a LAMMPS text dump (id type x y z, sorted by id) as DCD files with MDTraj
and with MDAnalysis.  Usage: make-dcd.py dump.lammpstrj OUTBASE  ->  OUTBASE.mdtraj.dcd, OUTBASE.mda.dcd

The LAMMPS cell (lx, ly, lz, tilts xy, xz, yz; see the LAMMPS manual, "Triclinic (non-orthogonal)
simulation boxes") is turned into lengths a, b, c (Angstrom) and angles alpha, beta, gamma (degrees).
"""
import math
import sys

import numpy as np


def frames(path):
    with open(path) as fh:
        lines = fh.read().split("\n")
    i = 0
    while i < len(lines) and lines[i].strip():
        assert lines[i].startswith("ITEM: TIMESTEP")
        step = int(lines[i + 1])
        n = int(lines[i + 3])
        head = lines[i + 4]
        b = [list(map(float, lines[i + 5 + k].split())) for k in range(3)]
        if "xy" in head:
            (xlob, xhib, xy), (ylob, yhib, xz), (zlo, zhi, yz) = b
        else:
            (xlob, xhib), (ylob, yhib), (zlo, zhi) = b
            xy = xz = yz = 0.0
        xlo = xlob - min(0.0, xy, xz, xy + xz)
        xhi = xhib - max(0.0, xy, xz, xy + xz)
        ylo = ylob - min(0.0, yz)
        yhi = yhib - max(0.0, yz)
        lx, ly, lz = xhi - xlo, yhi - ylo, zhi - zlo
        a = lx
        bl = math.sqrt(ly * ly + xy * xy)
        c = math.sqrt(lz * lz + xz * xz + yz * yz)
        alpha = math.degrees(math.acos((xy * xz + ly * yz) / (bl * c)))
        beta = math.degrees(math.acos(xz / c))
        gamma = math.degrees(math.acos(xy / bl))
        assert lines[i + 8].startswith("ITEM: ATOMS id type x y z")
        xyz = np.array([list(map(float, lines[i + 9 + k].split()[2:5])) for k in range(n)])
        yield step, xyz, (a, bl, c, alpha, beta, gamma)
        i += 9 + n


def main(dump, out):
    data = list(frames(dump))
    xyz = np.array([f[1] for f in data], dtype=np.float32)
    cells = np.array([f[2] for f in data])

    import mdtraj
    with mdtraj.formats.DCDTrajectoryFile(out + ".mdtraj.dcd", "w") as f:
        f.write(xyz, cell_lengths=cells[:, :3], cell_angles=cells[:, 3:])

    import MDAnalysis as mda
    u = mda.Universe.empty(xyz.shape[1], trajectory=True)
    with mda.Writer(out + ".mda.dcd", n_atoms=xyz.shape[1]) as w:
        for k in range(len(data)):
            u.atoms.positions = xyz[k]
            u.dimensions = cells[k]
            w.write(u.atoms)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])

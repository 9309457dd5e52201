package org.remcg.io;

import static org.remcg.units.Units.ANGSTROM_PER_FS;
import static org.remcg.units.Units.ANGSTROM_PER_NM;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.remcg.system.Box;
import org.remcg.system.Topology;

/**
 * Writes a LAMMPS data file (input to {@code read_data}) holding a start configuration, in LAMMPS
 * "real" units: positions and box in Angstrom (nm x 10), velocities in Angstrom/fs (nm/ps x 0.01),
 * masses in g/mol.
 *
 * <p>Numbers are written with 15 significant digits. Layout: a title line; the counts ({@code atoms}, {@code atom types}, and for style full the
 * {@code bonds}/{@code angles}/{@code dihedrals} with their type counts, when there are any); the box
 * {@code 0 lx xlo xhi} etc., plus {@code xy xz yz} for a triclinic box; then the sections
 * {@code Masses}, {@code Atoms # full} ({@code id mol type q x y z}) or {@code Atoms # atomic}
 * ({@code id type x y z}), {@code Velocities} (when the frame has velocities and they are wanted),
 * {@code Bonds}, {@code Angles}, {@code Dihedrals}. Atom k of the frame (0-based) is LAMMPS atom
 * k + 1. Positions are written as the frame holds them (molecules may stick out of the box; LAMMPS
 * maps such atoms back and sets their image flags).
 *
 * <p>Configuration: bead type per atom name (LAMMPS types from 1), mass per type (or taken from the
 * topology's masses), bonds as rows {@code {type, i, j}}, angles {@code {type, i, j, k}}, dihedrals
 * {@code {type, i, j, k, l}} with 0-based atom indices, charges (full style, default 0) and
 * molecule ids (full style; default: the residues of the topology numbered from 1 in order). The
 * file is written to a temporary file and moved into place.
 */
public final class LammpsDataWriter {

    /** The LAMMPS atom style of the Atoms section. */
    public enum AtomStyle {
        /** {@code atom-ID atom-type x y z}; no bonds. */
        ATOMIC,
        /** {@code atom-ID molecule-ID atom-type q x y z}, with bonds, angles and dihedrals. */
        FULL
    }

    private final AtomStyle style;
    private final Topology topology;
    private final int[] atomTypes;
    private final int ntypes;
    private final double[] typeMasses;
    private int[][] bonds = new int[0][];
    private int[][] angles = new int[0][];
    private int[][] dihedrals = new int[0][];
    private double[] charges;
    private int[] molecules;
    private boolean velocities = true;
    private String title = "remcg coarse-grained start configuration";

    /**
     * @param beadTypes LAMMPS type (1, 2, ...) of every atom name in the topology; the number of
     *                  types is the largest value
     * @param masses    mass (g/mol) of every type 1..ntypes, or null to take them from the topology
     *                  (all atoms of a type must then have the same known mass)
     */
    public LammpsDataWriter(AtomStyle style, Topology topology, Map<String, Integer> beadTypes, Map<Integer, Double> masses) {
        this.style = style;
        this.topology = topology;
        int n = topology.atoms();
        atomTypes = new int[n];
        int max = 0;
        for (Map.Entry<String, Integer> e : beadTypes.entrySet()) {
            if (e.getValue() == null || e.getValue() < 1) {
                throw new IllegalArgumentException("bead type of " + e.getKey() + " must be 1 or more, got " + e.getValue());
            }
            max = Math.max(max, e.getValue());
        }
        for (int i = 0; i < n; i++) {
            Integer t = beadTypes.get(topology.atomName(i));
            if (t == null) {
                throw new IllegalArgumentException("atom " + (i + 1) + " (" + topology.atomName(i) + ") has no bead type");
            }
            atomTypes[i] = t;
        }
        ntypes = max;
        typeMasses = new double[max + 1];
        java.util.Arrays.fill(typeMasses, Double.NaN);
        if (masses != null) {
            for (Map.Entry<Integer, Double> e : masses.entrySet()) {
                int t = e.getKey();
                if (t < 1 || t > max) {
                    throw new IllegalArgumentException("mass given for type " + t + " but the types are 1.." + max);
                }
                typeMasses[t] = e.getValue();
            }
        } else {
            for (int i = 0; i < n; i++) {
                double m = topology.mass(i);
                int t = atomTypes[i];
                if (typeMasses[t] != typeMasses[t]) {
                    typeMasses[t] = m;
                } else if (Math.abs(typeMasses[t] - m) > 1e-9 * Math.abs(m)) {
                    throw new IllegalArgumentException("atoms of type " + t + " have different masses (" + typeMasses[t] + " and " + m
                            + " for atom " + (i + 1) + ")");
                }
            }
        }
        for (int t = 1; t <= max; t++) {
            if (!(typeMasses[t] > 0) || Double.isInfinite(typeMasses[t])) {
                throw new IllegalArgumentException("type " + t + " has no usable mass (" + typeMasses[t] + "); LAMMPS needs one for every type");
            }
        }
    }

    /** Bonds as rows {type, i, j} (0-based atoms); full style only. */
    public LammpsDataWriter bonds(int[][] rows) {
        bonds = check(rows, 2, "bond");
        return this;
    }

    /** Angles as rows {type, i, j, k} (0-based atoms, j the apex); full style only. */
    public LammpsDataWriter angles(int[][] rows) {
        angles = check(rows, 3, "angle");
        return this;
    }

    /** Dihedrals as rows {type, i, j, k, l} (0-based atoms); full style only. */
    public LammpsDataWriter dihedrals(int[][] rows) {
        dihedrals = check(rows, 4, "dihedral");
        return this;
    }

    /** Charges per atom (elementary charges) for the full style; default all 0. */
    public LammpsDataWriter charges(double[] q) {
        if (q != null && q.length != topology.atoms()) {
            throw new IllegalArgumentException(q.length + " charges for " + topology.atoms() + " atoms");
        }
        charges = q == null ? null : q.clone();
        return this;
    }

    /** Molecule ids per atom for the full style; default: residues of the topology numbered 1, 2, ... */
    public LammpsDataWriter molecules(int[] ids) {
        if (ids != null && ids.length != topology.atoms()) {
            throw new IllegalArgumentException(ids.length + " molecule ids for " + topology.atoms() + " atoms");
        }
        molecules = ids == null ? null : ids.clone();
        return this;
    }

    /** Whether to write a Velocities section when the frame has velocities (default true). */
    public LammpsDataWriter velocities(boolean write) {
        velocities = write;
        return this;
    }

    /** The first line of the file (line breaks become blanks). */
    public LammpsDataWriter title(String text) {
        title = text.replace('\n', ' ').replace('\r', ' ');
        return this;
    }

    private int[][] check(int[][] rows, int atomsPerRow, String what) {
        if (style != AtomStyle.FULL && rows != null && rows.length > 0) {
            throw new IllegalArgumentException("atom style " + style.name().toLowerCase(Locale.ROOT) + " has no " + what + "s; use FULL");
        }
        if (rows == null) {
            return new int[0][];
        }
        int n = topology.atoms();
        int[][] copy = new int[rows.length][];
        for (int r = 0; r < rows.length; r++) {
            int[] row = rows[r];
            if (row == null || row.length != atomsPerRow + 1) {
                throw new IllegalArgumentException(what + " " + (r + 1) + " must be {type, " + atomsPerRow + " atoms}");
            }
            if (row[0] < 1) {
                throw new IllegalArgumentException(what + " " + (r + 1) + ": type must be 1 or more, got " + row[0]);
            }
            for (int k = 1; k <= atomsPerRow; k++) {
                if (row[k] < 0 || row[k] >= n) {
                    throw new IllegalArgumentException(what + " " + (r + 1) + ": atom index " + row[k] + " is outside 0.." + (n - 1));
                }
            }
            copy[r] = row.clone();
        }
        return copy;
    }

    private static int maxType(int[][] rows) {
        int m = 0;
        for (int[] r : rows) {
            m = Math.max(m, r[0]);
        }
        return m;
    }

    /** Writes the data file for {@code frame} (which must have a box) to {@code target}. */
    public void write(Path target, Frame frame) throws IOException {
        int n = topology.atoms();
        if (frame.atoms != n) {
            throw new IllegalArgumentException("frame has " + frame.atoms + " atoms, the topology " + n);
        }
        Box box = frame.box;
        if (box == null) {
            throw new IllegalArgumentException("a LAMMPS data file needs a box; the frame has none");
        }
        for (int i = 0; i < 3 * n; i++) {
            if (!Double.isFinite(frame.x[i])) {
                throw new IllegalArgumentException("atom " + (i / 3 + 1) + " has a non-finite coordinate " + frame.x[i]);
            }
        }
        boolean full = style == AtomStyle.FULL;
        boolean withV = velocities && frame.v != null;
        int[] mol = molecules != null ? molecules : residueMolecules();

        StringBuilder sb = new StringBuilder(64 * n + 1024);
        sb.append(title).append(" (units real)\n\n");
        sb.append(n).append(" atoms\n");
        sb.append(ntypes).append(" atom types\n");
        if (full) {
            counts(sb, bonds, "bond");
            counts(sb, angles, "angle");
            counts(sb, dihedrals, "dihedral");
        }
        double[] m = box.matrix();
        sb.append('\n');
        sb.append("0.0 ").append(num(m[0] * ANGSTROM_PER_NM)).append(" xlo xhi\n");
        sb.append("0.0 ").append(num(m[4] * ANGSTROM_PER_NM)).append(" ylo yhi\n");
        sb.append("0.0 ").append(num(m[8] * ANGSTROM_PER_NM)).append(" zlo zhi\n");
        if (!box.isOrthorhombic()) {
            sb.append(num(m[3] * ANGSTROM_PER_NM)).append(' ').append(num(m[6] * ANGSTROM_PER_NM)).append(' ')
                    .append(num(m[7] * ANGSTROM_PER_NM)).append(" xy xz yz\n");
        }
        sb.append("\nMasses\n\n");
        for (int t = 1; t <= ntypes; t++) {
            sb.append(t).append(' ').append(num(typeMasses[t])).append('\n');
        }
        sb.append("\nAtoms # ").append(full ? "full" : "atomic").append("\n\n");
        double[] x = frame.x;
        for (int i = 0; i < n; i++) {
            sb.append(i + 1).append(' ');
            if (full) {
                sb.append(mol[i]).append(' ').append(atomTypes[i]).append(' ').append(num(charges == null ? 0 : charges[i])).append(' ');
            } else {
                sb.append(atomTypes[i]).append(' ');
            }
            sb.append(num(x[3 * i] * ANGSTROM_PER_NM)).append(' ').append(num(x[3 * i + 1] * ANGSTROM_PER_NM)).append(' ')
                    .append(num(x[3 * i + 2] * ANGSTROM_PER_NM)).append('\n');
        }
        if (withV) {
            sb.append("\nVelocities\n\n");
            double[] v = frame.v;
            for (int i = 0; i < n; i++) {
                sb.append(i + 1).append(' ').append(num(v[3 * i] / ANGSTROM_PER_FS)).append(' ')
                        .append(num(v[3 * i + 1] / ANGSTROM_PER_FS)).append(' ')
                        .append(num(v[3 * i + 2] / ANGSTROM_PER_FS)).append('\n');
            }
        }
        if (full) {
            section(sb, "Bonds", bonds);
            section(sb, "Angles", angles);
            section(sb, "Dihedrals", dihedrals);
        }
        byte[] bytes = sb.toString().getBytes(StandardCharsets.UTF_8);
        try (GroWriter.AtomicOutput out = new GroWriter.AtomicOutput(target)) {
            out.write(() -> out.stream.write(bytes));
        }
    }

    private static void counts(StringBuilder sb, int[][] rows, String what) {
        if (rows.length > 0) {
            sb.append(rows.length).append(' ').append(what).append("s\n");
            sb.append(maxType(rows)).append(' ').append(what).append(" types\n");
        }
    }

    private static void section(StringBuilder sb, String name, int[][] rows) {
        if (rows.length == 0) {
            return;
        }
        sb.append('\n').append(name).append("\n\n");
        for (int r = 0; r < rows.length; r++) {
            int[] row = rows[r];
            sb.append(r + 1).append(' ').append(row[0]);
            for (int k = 1; k < row.length; k++) {
                sb.append(' ').append(row[k] + 1);
            }
            sb.append('\n');
        }
    }

    /** Molecule ids from the topology's residues: consecutive atoms with equal residue number and name share one. */
    private int[] residueMolecules() {
        int n = topology.atoms();
        int[] mol = new int[n];
        int id = 0;
        for (int i = 0; i < n; i++) {
            if (i == 0 || topology.residueNumber(i) != topology.residueNumber(i - 1)
                    || !topology.residueName(i).equals(topology.residueName(i - 1))) {
                id++;
            }
            mol[i] = id;
        }
        return mol;
    }

    private static final MathContext DIGITS = new MathContext(15, RoundingMode.HALF_EVEN);

    /**
     * v with 15 significant digits, trailing zeros removed and no exponent: the unit conversion
     * leaves noise in the 17th digit (0.3 nm x 10 = 3.0000000000000004) that is not worth writing.
     */
    private static String num(double v) {
        if (v == 0) {
            return "0.0";
        }
        String s = new BigDecimal(v).round(DIGITS).stripTrailingZeros().toPlainString();
        return s.indexOf('.') < 0 ? s + ".0" : s;
    }
}

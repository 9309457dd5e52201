package org.remcg.io;

import static org.remcg.units.Units.ANGSTROM_PER_NM;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.remcg.system.Box;
import org.remcg.system.Topology;

/**
 * Reads XYZ and extended XYZ trajectories.
 *
 * <p>A frame is the atom count, a comment line and one line per atom. In plain XYZ an atom line is
 * {@code name x y z} (Angstrom; further columns are ignored). In extended XYZ the comment line holds
 * {@code key=value} pairs (values may be "double-quoted" or in {braces}); keys are matched without
 * regard to case:
 * <ul>
 * <li>{@code Lattice="ax ay az bx by bz cx cy cz"}: the cell vectors a, b, c in Angstrom. When a
 * is not along x or b not in the xy plane, the cell and all positions are rotated together into
 * that orientation (the box convention of remcg); left-handed cells are refused.</li>
 * <li>{@code Properties=name:type:columns:...}: the column layout (types S, R, I, L); the species
 * ({@code species:S:1}) and positions ({@code pos:R:3}) are located by name, all other properties
 * are skipped. Without it, the plain layout is assumed.</li>
 * <li>{@code time=} (taken as ps) and {@code step=}; ignored when not numbers (the line is free text).</li>
 * </ul>
 * Positions are converted to nm (divided by 10). Velocities and forces are not read: extended XYZ
 * does not fix their units.
 */
public final class XyzReader extends TextTrajectoryReader {

    /** Fewest bytes an atom line can take: three one-digit numbers, blanks and a newline. */
    static final int MIN_ATOM_LINE = 6;

    private long index;

    // per-frame layout from the comment line
    private int speciesCol;
    private int posCol;
    /** Columns an atom line must have (exactly when a Properties key gave them, at least otherwise). */
    private int columns;
    private boolean exactColumns;
    private double time;
    private long step;
    /** Box of the frame, and the rotation (row-vector map, nm to nm) to apply to positions, or null. */
    private Box box;
    private double[] rotation;
    private long countLine;
    private long commentLine;

    public XyzReader(Path file) throws IOException, TrajectoryFormatException {
        this(file, GroReader.Lines.DEFAULT_BUFFER);
    }

    public XyzReader(Path file, int bufferSize) throws IOException, TrajectoryFormatException {
        open(file, bufferSize, this::readCount, "no frame: the file is empty or blank");
    }

    /**
     * Reads the first frame with a topology: atom names from the species column ("X" when there is
     * none); every atom is its own residue, numbered from 1 and named like the atom; masses unknown.
     */
    public static Structure readStructure(Path file) throws IOException, TrajectoryFormatException {
        try (XyzReader r = new XyzReader(file)) {
            Frame f = new Frame();
            String[] names = new String[r.atoms];
            r.read(f, names);
            int[] residues = new int[names.length];
            for (int i = 0; i < residues.length; i++) {
                residues[i] = i + 1;
            }
            return new Structure(new Topology(names, names, residues, null), f);
        }
    }

    @Override
    public boolean next(Frame frame) throws IOException, TrajectoryFormatException {
        return read(frame, null);
    }

    /** Reads the count line of the next frame; -1 at the clean end (only blank lines left). */
    private int readCount() throws IOException, TrajectoryFormatException {
        in.frame = index;
        do {
            if (!in.next()) {
                return -1;
            }
        } while (in.isBlank());
        countLine = in.lineNo;
        long n = in.parseLong(in.start, in.end, "atom count");
        in.checkCount(n, MIN_ATOM_LINE);
        return (int) n;
    }

    private boolean read(Frame frame, String[] names) throws IOException, TrajectoryFormatException {
        int n = readCount();
        if (n < 0) {
            return false;
        }
        if (!in.next()) {
            throw in.errorAtEnd("the file ends before the comment line of the frame counted on line " + countLine);
        }
        comment();
        if (frame != null) {
            frame.resize(n, false, false);
        }
        double[] x = frame == null ? null : frame.x;
        Map<String, String> pool = names == null ? null : new HashMap<>();
        for (int i = 0; i < n; i++) {
            if (!in.next()) {
                throw in.errorAtEnd("the file ends after " + i + " of the " + n + " atoms counted on line " + countLine);
            }
            int nf = in.split();
            if (exactColumns ? nf != columns : nf < columns) {
                throw in.error("atom line has " + nf + " fields, expected " + (exactColumns ? "" : "at least ") + columns
                        + (exactColumns ? " (Properties on line " + commentLine + ")" : "") + " (atom " + (i + 1) + " of the " + n
                        + " counted on line " + countLine + ")");
            }
            if (x != null) {
                int o = 3 * i;
                int c = posCol;
                x[o] = in.parseDouble(in.fs[c], in.fe[c], "x") / ANGSTROM_PER_NM;
                x[o + 1] = in.parseDouble(in.fs[c + 1], in.fe[c + 1], "y") / ANGSTROM_PER_NM;
                x[o + 2] = in.parseDouble(in.fs[c + 2], in.fe[c + 2], "z") / ANGSTROM_PER_NM;
            }
            if (names != null) {
                String s = speciesCol < 0 ? "X" : new String(in.buf, in.fs[speciesCol], in.fe[speciesCol] - in.fs[speciesCol],
                        StandardCharsets.UTF_8);
                String old = pool.putIfAbsent(s, s);
                names[i] = old == null ? s : old;
            }
        }
        if (frame != null) {
            if (rotation != null) {
                rotate(frame.x, n, rotation);
            }
            frame.box = box;
            frame.time = time;
            frame.step = step;
            frame.index = index;
            frame.precision = 0;
        }
        index++;
        return true;
    }

    private static void rotate(double[] x, int n, double[] t) {
        for (int i = 0; i < n; i++) {
            int o = 3 * i;
            double a = x[o];
            double b = x[o + 1];
            double c = x[o + 2];
            x[o] = a * t[0] + b * t[3] + c * t[6];
            x[o + 1] = a * t[1] + b * t[4] + c * t[7];
            x[o + 2] = a * t[2] + b * t[5] + c * t[8];
        }
    }

    /** Interprets the current line as the comment line: layout, cell, time and step. */
    private void comment() throws TrajectoryFormatException {
        commentLine = in.lineNo;
        speciesCol = 0;
        posCol = 1;
        columns = 4;
        exactColumns = false;
        time = Double.NaN;
        step = 0;
        box = null;
        rotation = null;
        byte[] b = in.buf;
        int e = in.end;
        int i = in.start;
        while (i < e) {
            while (i < e && GroReader.Lines.isSpace(b[i])) {
                i++;
            }
            int ks = i;
            while (i < e && b[i] != '=' && !GroReader.Lines.isSpace(b[i])) {
                i++;
            }
            int ke = i;
            if (i >= e || b[i] != '=') {
                continue; // a word without a value (plain comment or a flag)
            }
            i++;
            int vs;
            int ve;
            if (i < e && (b[i] == '"' || b[i] == '{')) {
                byte close = b[i] == '"' ? (byte) '"' : (byte) '}';
                vs = ++i;
                while (i < e && b[i] != close) {
                    if (b[i] == '\\' && i + 1 < e) {
                        i++;
                    }
                    i++;
                }
                if (i >= e) {
                    throw in.error("unterminated quoted value of '" + new String(b, ks, ke - ks, StandardCharsets.UTF_8) + "'");
                }
                ve = i++;
            } else {
                vs = i;
                while (i < e && !GroReader.Lines.isSpace(b[i])) {
                    i++;
                }
                ve = i;
            }
            String key = new String(b, ks, ke - ks, StandardCharsets.UTF_8).toLowerCase(Locale.ROOT);
            switch (key) {
                case "lattice" -> lattice(vs, ve);
                case "properties" -> properties(new String(b, vs, ve - vs, StandardCharsets.UTF_8));
                case "time" -> {
                    // the comment line is free text: a time that is not a number is ignored
                    double t = DecimalParser.parse(b, vs, ve);
                    time = t - t == 0 ? t : Double.NaN;
                }
                case "step" -> {
                    try {
                        step = in.parseLong(vs, ve, "step=");
                    } catch (TrajectoryFormatException ignored) {
                        step = 0;
                    }
                }
                default -> {
                    // other keys carry nothing remcg uses
                }
            }
        }
    }

    /** Parses a Lattice value (nine numbers, Angstrom) into the box, and the rotation if one is needed. */
    private void lattice(int vs, int ve) throws TrajectoryFormatException {
        int nf = in.split(vs, ve);
        if (nf != 9) {
            throw in.error("Lattice needs 9 numbers (a, b, c vectors), found " + nf);
        }
        double[] m = new double[9];
        for (int k = 0; k < 9; k++) {
            int s = in.fs[k];
            int e = in.fe[k];
            if (e > s && in.buf[e - 1] == ',') {
                e--; // "{1, 0, 0, ...}" style
            }
            m[k] = in.parseDouble(s, e, "Lattice") / ANGSTROM_PER_NM;
        }
        double det = m[0] * (m[4] * m[8] - m[5] * m[7]) - m[1] * (m[3] * m[8] - m[5] * m[6]) + m[2] * (m[3] * m[7] - m[4] * m[6]);
        if (!(det > 0)) {
            throw in.error("Lattice vectors are " + (det == 0 ? "degenerate" : "left-handed") + " (determinant " + det * 1000 + " nm^3)");
        }
        try {
            if (m[1] == 0 && m[2] == 0 && m[5] == 0) {
                box = Box.fromMatrix(m);
                return;
            }
            // rotate into the reduced orientation, keeping the lengths and angles
            double la = Math.sqrt(m[0] * m[0] + m[1] * m[1] + m[2] * m[2]);
            double lb = Math.sqrt(m[3] * m[3] + m[4] * m[4] + m[5] * m[5]);
            double lc = Math.sqrt(m[6] * m[6] + m[7] * m[7] + m[8] * m[8]);
            double alpha = angle(m, 3, 6, lb, lc);
            double beta = angle(m, 0, 6, la, lc);
            double gamma = angle(m, 0, 3, la, lb);
            box = Box.fromLengthsAndAngles(la, lb, lc, alpha, beta, gamma);
        } catch (IllegalArgumentException ex) {
            throw in.error("unusable Lattice: " + ex.getMessage());
        }
        // positions map through fractional coordinates: r' = r inv(M) M'
        rotation = multiply(inverse(m, det), box.matrix());
    }

    private static double angle(double[] m, int u, int v, double lu, double lv) {
        double dot = m[u] * m[v] + m[u + 1] * m[v + 1] + m[u + 2] * m[v + 2];
        if (dot == 0) {
            return 90; // exactly, so that a rotated rectangular cell stays rectangular
        }
        return Math.toDegrees(Math.acos(Math.max(-1, Math.min(1, dot / (lu * lv)))));
    }

    private static double[] inverse(double[] m, double det) {
        return new double[] {
            (m[4] * m[8] - m[5] * m[7]) / det, (m[2] * m[7] - m[1] * m[8]) / det, (m[1] * m[5] - m[2] * m[4]) / det,
            (m[5] * m[6] - m[3] * m[8]) / det, (m[0] * m[8] - m[2] * m[6]) / det, (m[2] * m[3] - m[0] * m[5]) / det,
            (m[3] * m[7] - m[4] * m[6]) / det, (m[1] * m[6] - m[0] * m[7]) / det, (m[0] * m[4] - m[1] * m[3]) / det,
        };
    }

    private static double[] multiply(double[] a, double[] b) {
        double[] c = new double[9];
        for (int r = 0; r < 3; r++) {
            for (int k = 0; k < 3; k++) {
                double s = 0;
                for (int j = 0; j < 3; j++) {
                    s += a[3 * r + j] * b[3 * j + k];
                }
                c[3 * r + k] = s;
            }
        }
        return c;
    }

    /** Locates the species and position columns in a Properties value such as species:S:1:pos:R:3. */
    private void properties(String value) throws TrajectoryFormatException {
        String[] p = value.split(":", -1);
        if (p.length % 3 != 0) {
            throw in.error("Properties must be name:type:columns triples, got '" + value + "'");
        }
        int col = 0;
        speciesCol = -1;
        posCol = -1;
        for (int k = 0; k < p.length; k += 3) {
            String name = p[k];
            String type = p[k + 1];
            int count;
            try {
                count = Integer.parseInt(p[k + 2]);
            } catch (NumberFormatException e) {
                throw in.error("Properties: '" + p[k + 2] + "' is not a column count (property " + name + ")");
            }
            if (count < 1 || count > 1000 || !(type.equals("S") || type.equals("R") || type.equals("I") || type.equals("L"))) {
                throw in.error("Properties: bad type or column count '" + type + ":" + p[k + 2] + "' for " + name);
            }
            if (name.equals("species") && type.equals("S") && count == 1) {
                speciesCol = col;
            } else if (name.equals("pos")) {
                if (!type.equals("R") || count != 3) {
                    throw in.error("Properties: pos must be R:3, got " + type + ":" + count);
                }
                posCol = col;
            }
            col += count;
        }
        if (posCol < 0) {
            throw in.error("Properties has no pos:R:3 column: '" + value + "'");
        }
        columns = col;
        exactColumns = true;
    }
}

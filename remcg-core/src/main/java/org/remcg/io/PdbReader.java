package org.remcg.io;

import static org.remcg.units.Units.ANGSTROM_PER_NM;

import java.io.IOException;
import java.nio.file.Path;
import org.remcg.system.Box;

/**
 * Reads the coordinates of PDB files, one model after another.
 *
 * <p>Records used (columns 1-based, as in the wwPDB format description):
 * <ul>
 * <li>{@code ATOM}/{@code HETATM}: atom name 13-16, residue name 18-20 (read as 18-21, so the
 * four-character names GROMACS writes survive), residue number 23-26 (decimal, or hybrid-36 as
 * written for more than 9999 residues), x, y, z in Angstrom in 31-38, 39-46, 47-54. Other columns
 * (serial, altLoc, chain, occupancy, ...) are ignored; every ATOM/HETATM record is one atom.</li>
 * <li>{@code CRYST1}: a, b, c (Angstrom, 7-15, 16-24, 25-33) and alpha, beta, gamma (degrees, 34-40,
 * 41-47, 48-54) giving the box through {@link Box#fromLengthsAndAngles}. A cell of 1 x 1 x 1
 * Angstrom is the conventional placeholder for "no cell" and gives no box. The box carries over to
 * later models until another CRYST1 appears.</li>
 * <li>{@code MODEL} ... {@code ENDMDL} delimit frames; without MODEL records a frame ends at
 * {@code END} or at the end of the file (so files with one model, and files with frames separated
 * by END, both work).</li>
 * <li>{@code TITLE}/{@code REMARK}: {@code t= <ps>} and {@code step= <n>} are picked up as GROMACS
 * writes them.</li>
 * </ul>
 * Everything else (TER, CONECT, HEADER, ...) is skipped. Coordinates are converted to nm (divided by
 * 10); {@link Frame#precision} is 0.0001 nm (three decimals in Angstrom).
 *
 * <p>Every frame must have as many atoms as the first; a MODEL not closed by ENDMDL at the end of
 * the file, or a last frame with fewer atoms, is reported as a truncated frame after all complete
 * frames were delivered.
 */
public final class PdbReader extends TextTrajectoryReader {

    private long index;
    /** Box of the latest CRYST1 record (carried over to later frames). */
    private Box box;

    public PdbReader(Path file) throws IOException, TrajectoryFormatException {
        this(file, GroReader.Lines.DEFAULT_BUFFER);
    }

    public PdbReader(Path file, int bufferSize) throws IOException, TrajectoryFormatException {
        open(file, bufferSize, () -> read(null, null, -1), "no atoms: the file has no ATOM or HETATM records");
        index = 0;
        box = null;
    }

    /** Reads the first model of a PDB file with its topology (atom names, residue names and numbers; masses unknown). */
    public static Structure readStructure(Path file) throws IOException, TrajectoryFormatException {
        try (PdbReader r = new PdbReader(file)) {
            Frame f = new Frame();
            Structure.Names names = new Structure.Names(r.atoms);
            r.read(f, names, r.atoms);
            return names.with(f);
        }
    }

    @Override
    public boolean next(Frame frame) throws IOException, TrajectoryFormatException {
        return read(frame, null, atoms) >= 0;
    }

    @Override
    public boolean skip() throws IOException, TrajectoryFormatException {
        return read(null, null, atoms) >= 0;
    }

    /**
     * Reads the next frame. With {@code expected < 0} only counts its atoms (the first frame, at
     * open); otherwise the frame must have exactly {@code expected} atoms and, when {@code frame} is
     * not null, they are decoded into it. Returns the atom count, or -1 at the clean end of the file.
     */
    private int read(Frame frame, Structure.Names names, int expected) throws IOException, TrajectoryFormatException {
        in.frame = index;
        int count = 0;
        boolean inModel = false;
        long modelLine = 0;
        long firstAtomLine = 0;
        double time = Double.NaN;
        long step = 0;
        double[] x = null;
        if (frame != null) {
            frame.resize(expected, false, false);
            x = frame.x;
        }
        while (true) {
            if (!in.next()) {
                if (inModel) {
                    throw in.errorAtEnd("the file ends inside the MODEL opened on line " + modelLine + " after " + count + " atoms"
                            + (expected >= 0 ? " of " + expected : "") + " (truncated frame: no ENDMDL)");
                }
                if (count == 0) {
                    return -1;
                }
                break; // single model without END
            }
            if (in.startsWith("ATOM  ") || in.startsWith("HETATM")) {
                if (count == 0) {
                    firstAtomLine = in.lineNo;
                }
                if (expected >= 0 && count == expected) {
                    throw in.error("this model has more atoms than the first (" + expected + ")");
                }
                atom(x, names, count);
                count++;
            } else if (in.startsWith("ENDMDL")) {
                if (!inModel && count == 0) {
                    throw in.error("ENDMDL without MODEL");
                }
                break;
            } else if (in.startsWith("END") && (in.end - in.start == 3 || GroReader.Lines.isSpace(in.buf[in.start + 3]))) {
                if (inModel) {
                    throw in.error("END inside the MODEL opened on line " + modelLine + " (no ENDMDL)");
                }
                if (count > 0) {
                    break;
                }
            } else if (in.startsWith("MODEL ") || (in.startsWith("MODEL") && in.end - in.start == 5)) {
                if (inModel) {
                    throw in.error("MODEL inside the MODEL opened on line " + modelLine + " (no ENDMDL)");
                }
                if (count > 0) {
                    throw in.error("MODEL after " + count + " atoms that belong to no model (from line " + firstAtomLine + ")");
                }
                inModel = true;
                modelLine = in.lineNo;
            } else if (in.startsWith("CRYST1")) {
                box = cryst1();
            } else if (in.startsWith("TITLE ") || in.startsWith("REMARK")) {
                double t = in.keyNumber("t=");
                if (t == t) {
                    time = t;
                    step = in.keyLong("step=");
                }
            }
        }
        if (expected >= 0 && count != expected) {
            throw in.error("this model has " + count + " atoms, the first had " + expected + " (truncated or different frame)");
        }
        if (frame != null) {
            frame.box = box;
            frame.time = time;
            frame.step = step;
            frame.index = index;
            frame.precision = 1e-4;
        }
        index++;
        return count;
    }

    /** Decodes the current ATOM/HETATM line as atom i. */
    private void atom(double[] x, Structure.Names names, int i) throws TrajectoryFormatException {
        int s = in.start;
        int len = in.end - s;
        if (len < 54) {
            throw in.error("ATOM/HETATM record too short: " + len + " columns, the coordinates end in column 54");
        }
        if (x != null) {
            int o = 3 * i;
            x[o] = in.parseDouble(s + 30, s + 38, "x, columns 31-38") / ANGSTROM_PER_NM;
            x[o + 1] = in.parseDouble(s + 38, s + 46, "y, columns 39-46") / ANGSTROM_PER_NM;
            x[o + 2] = in.parseDouble(s + 46, s + 54, "z, columns 47-54") / ANGSTROM_PER_NM;
        }
        if (names != null) {
            names.atomNames[i] = names.intern(in.text(s + 12, s + 16));
            names.residueNames[i] = names.intern(in.text(s + 17, s + 21));
            names.residueNumbers[i] = residueNumber(s + 22, s + 26);
        }
    }

    /** The residue number in columns 23-26: decimal, hybrid-36, or 0 when blank. */
    private int residueNumber(int s, int e) throws TrajectoryFormatException {
        String t = in.text(s, e);
        if (t.isEmpty()) {
            return 0;
        }
        char c = t.charAt(0);
        if (t.length() == 4 && Character.isLetter(c)) {
            int v = hybrid36(t);
            if (v >= 0) {
                return v;
            }
            throw in.error(in.quote(s, e) + " is not a residue number (columns 23-26; decimal or hybrid-36)");
        }
        return (int) in.parseLong(s, e, "residue number, columns 23-26");
    }

    /**
     * Decodes a four-character hybrid-36 number: upper-case base-36 strings "A000".."ZZZZ" count on
     * from 10000, lower-case "a000".."zzzz" after them. -1 when the text is not hybrid-36.
     */
    static int hybrid36(String t) {
        boolean upper = Character.isUpperCase(t.charAt(0));
        int v = 0;
        for (int k = 0; k < 4; k++) {
            char c = t.charAt(k);
            int d;
            if (c >= '0' && c <= '9') {
                d = c - '0';
            } else if (upper && c >= 'A' && c <= 'Z') {
                d = c - 'A' + 10;
            } else if (!upper && c >= 'a' && c <= 'z') {
                d = c - 'a' + 10;
            } else {
                return -1;
            }
            v = v * 36 + d;
        }
        int block = 36 * 36 * 36; // 36^(width-1)
        // "A000" is 10 * 36^3 in base 36 and stands for 10^4
        int value = v - 10 * block + 10000;
        return upper ? value : value + 26 * block;
    }

    /** The box of the current CRYST1 record (null for the 1 x 1 x 1 placeholder). */
    private Box cryst1() throws TrajectoryFormatException {
        int s = in.start;
        double[] c = new double[6];
        if (in.end - s >= 54) {
            int[] from = {6, 15, 24, 33, 40, 47};
            int[] to = {15, 24, 33, 40, 47, 54};
            String[] what = {"a, columns 7-15", "b, columns 16-24", "c, columns 25-33", "alpha, columns 34-40", "beta, columns 41-47",
                "gamma, columns 48-54"};
            for (int k = 0; k < 6; k++) {
                c[k] = in.parseDouble(s + from[k], s + to[k], "CRYST1 " + what[k]);
            }
        } else {
            // a shortened record: read the six numbers as blank-separated fields
            int nf = in.split(s + 6, in.end);
            if (nf < 6) {
                throw in.error("CRYST1 record needs a, b, c, alpha, beta, gamma; found " + nf + " fields");
            }
            for (int k = 0; k < 6; k++) {
                c[k] = in.parseDouble(in.fs[k], in.fe[k], "CRYST1 cell");
            }
        }
        if (c[0] == 1 && c[1] == 1 && c[2] == 1) {
            return null;
        }
        try {
            return Box.fromLengthsAndAngles(c[0] / ANGSTROM_PER_NM, c[1] / ANGSTROM_PER_NM, c[2] / ANGSTROM_PER_NM, c[3], c[4], c[5]);
        } catch (IllegalArgumentException e) {
            throw in.error("unusable CRYST1 cell: " + e.getMessage());
        }
    }
}

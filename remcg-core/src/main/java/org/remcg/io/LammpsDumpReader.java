package org.remcg.io;

import static org.remcg.units.Units.ANGSTROM_PER_FS;
import static org.remcg.units.Units.ANGSTROM_PER_NM;
import static org.remcg.units.Units.EV_PER_ANGSTROM;
import static org.remcg.units.Units.FS_PER_PS;
import static org.remcg.units.Units.KCAL_PER_ANGSTROM;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import org.remcg.system.Box;

/**
 * Reads LAMMPS text dump files ({@code dump atom} and {@code dump custom}).
 *
 * <p>A frame is a sequence of items: {@code ITEM: TIMESTEP}, {@code ITEM: NUMBER OF ATOMS},
 * {@code ITEM: BOX BOUNDS ...}, then {@code ITEM: ATOMS <columns>} followed by one line per atom;
 * {@code ITEM: TIME} and {@code ITEM: UNITS} (from {@code dump_modify time/units yes}) are
 * understood too. Box bounds are {@code lo hi} per axis, or for a triclinic box (header
 * {@code BOX BOUNDS xy xz yz ...}) {@code lo_bound hi_bound tilt} per axis, with tilts xy, xz, yz;
 * the bounds enclose the tilted cell, so the box itself is
 * {@code xlo = xlo_bound - min(0, xy, xz, xy + xz)}, {@code xhi = xhi_bound - max(0, xy, xz, xy + xz)},
 * {@code ylo = ylo_bound - min(0, yz)}, {@code yhi = yhi_bound - max(0, yz)}, z unchanged, giving
 * {@code Box.triclinic(xhi - xlo, xy, yhi - ylo, xz, yz, zhi - zlo)}.
 *
 * <p>Columns: {@code id}, {@code type}; positions from the first of {@code xu yu zu} (unwrapped),
 * {@code xsu ysu zsu} (scaled unwrapped), {@code x y z} (wrapped) or {@code xs ys zs} (scaled,
 * fractions of the box vectors); image flags {@code ix iy iz}, when present, unwrap wrapped or
 * scaled positions ({@code r + ix a + iy b + iz c}); {@code vx vy vz} and {@code fx fy fz} fill
 * velocities and forces; other columns are skipped. A header without column names (old LAMMPS) is
 * taken as {@code id type xs ys zs} with optional {@code ix iy iz}. Positions are absolute: the
 * lower box corner is not subtracted ({@link #origin()} gives it).
 *
 * <p>Atoms are stored by id: id k goes to slot k - 1, so a frame must hold each id 1..N exactly
 * once (N from NUMBER OF ATOMS); LAMMPS writes atoms in no particular order unless
 * {@code dump_modify sort id} is used, and this reader does not care. Without an id column the file
 * order is kept. Atom types (by id) are available from {@link #types()}.
 *
 * <p>Units: see {@link Units}. With no unit style given, the file's {@code ITEM: UNITS} decides, and
 * {@link Units#REAL} is assumed when it has none; a style given to the constructor that contradicts
 * the file's is an error.
 */
public final class LammpsDumpReader extends TextTrajectoryReader {

    /** LAMMPS unit styles, with the factors that take their numbers to remcg's nm, ps, nm/ps and kJ/mol/nm. */
    public enum Units {
        /** Angstrom, fs, Angstrom/fs, kcal/mol/Angstrom: lengths / 10, velocities x 100, forces x 41.84, time / 1000. */
        REAL(ANGSTROM_PER_NM, ANGSTROM_PER_FS, KCAL_PER_ANGSTROM, 1 / FS_PER_PS),
        /** Angstrom, ps, Angstrom/ps, eV/Angstrom: lengths / 10, velocities / 10, forces x 964.8533212331002. */
        METAL(ANGSTROM_PER_NM, 1 / ANGSTROM_PER_NM, EV_PER_ANGSTROM, 1),
        /** Reduced units: nothing is converted (the numbers are taken as they are). */
        LJ(1, 1, 1, 1);

        /** Lengths are divided by this. */
        final double lengthDivisor;
        final double velocityFactor;
        final double forceFactor;
        final double timeFactor;

        Units(double lengthDivisor, double velocityFactor, double forceFactor, double timeFactor) {
            this.lengthDivisor = lengthDivisor;
            this.velocityFactor = velocityFactor;
            this.forceFactor = forceFactor;
            this.timeFactor = timeFactor;
        }
    }

    /** Fewest bytes per field of an atom line: one character and a separator. */
    private static final int MIN_FIELD = 2;

    private final Units requested;
    private Units units;
    private long index;

    // per-format reader state: each reader keeps its own header fields
    // header of the frame being read
    private long step;
    private double time;
    private long natoms;
    private long countLine;
    private boolean boxSeen;
    private boolean triclinic;
    private final double[] lo = new double[3];
    private final double[] hi = new double[3];
    private final double[] tilt = new double[3];
    private long atomsLine;
    private Columns columns;

    /**
     * The column layout of the ATOMS item: the field count (-1 for an old dump without column names, until its first atom
     * line), the columns of the id, the type, the first position, image, velocity and force component (-1: absent), and
     * the kind of the positions (UNWRAPPED, SCALED_UNWRAPPED, WRAPPED or SCALED).
     */
    private record Columns(int count, int id, int type, int pos, int posKind, int image, int v, int f) {
        /** An old dump's columns, "id type xs ys zs [ix iy iz]", once its first atom line is known to have {@code fields}. */
        Columns withFields(int fields) {
            return new Columns(fields, id, type, pos, posKind, fields == 8 ? 5 : -1, v, f);
        }
    }

    private static final int UNWRAPPED = 0;
    private static final int SCALED_UNWRAPPED = 1;
    private static final int WRAPPED = 2;
    private static final int SCALED = 3;
    /** Names of the velocity and force columns in messages. */
    private static final String[] V_NAMES = {"vx", "vy", "vz"};
    private static final String[] F_NAMES = {"fx", "fy", "fz"};

    /** Types of the last frame in typesBuffer[0, typesCount), or typesCount -1 when there are none. */
    private int typesCount = -1;
    private int[] typesBuffer = new int[0];
    private int[] seen = new int[0];
    private int stamp;
    private final double[] origin = new double[3];

    /** A reader using the file's unit style, or real units when the file names none. */
    public LammpsDumpReader(Path file) throws IOException, TrajectoryFormatException {
        this(file, null, GroReader.Lines.DEFAULT_BUFFER);
    }

    /** A reader for a dump written in {@code units} (null: the file's own, else real). */
    public LammpsDumpReader(Path file, Units units) throws IOException, TrajectoryFormatException {
        this(file, units, GroReader.Lines.DEFAULT_BUFFER);
    }

    public LammpsDumpReader(Path file, Units units, int bufferSize) throws IOException, TrajectoryFormatException {
        this.requested = units;
        this.units = units == null ? Units.REAL : units;
        open(file, bufferSize, () -> readHeader() ? (int) natoms : -1, "no frame: the file is empty or blank");
    }

    /** The unit style in effect (from the constructor, the file, or real by default). */
    public Units units() {
        return units;
    }

    /**
     * Atom types of the last frame read, in frame (id) order: a copy, or null when the dump has no
     * type column or no frame was read yet.
     */
    public int[] types() {
        return typesCount < 0 ? null : Arrays.copyOf(typesBuffer, typesCount);
    }

    /** Lower corner (xlo, ylo, zlo) of the last frame's box in nm (zeros before the first frame or without a box). */
    public double[] origin() {
        return origin.clone();
    }

    @Override
    public boolean next(Frame frame) throws IOException, TrajectoryFormatException {
        if (!readHeader()) {
            return false;
        }
        readAtoms(frame);
        return true;
    }

    @Override
    public boolean skip() throws IOException, TrajectoryFormatException {
        if (!readHeader()) {
            return false;
        }
        int n = (int) natoms;
        for (int i = 0; i < n; i++) {
            if (!in.next()) {
                throw truncated(i);
            }
        }
        index++;
        return true;
    }

    /**
     * Reads the items of the next frame up to and including the ITEM: ATOMS line. Returns false at
     * the clean end of the file.
     */
    private boolean readHeader() throws IOException, TrajectoryFormatException {
        in.frame = index;
        step = 0;
        time = Double.NaN;
        natoms = -1;
        boxSeen = false;
        boolean any = false;
        while (true) {
            if (!in.next()) {
                if (!any) {
                    return false;
                }
                throw in.errorAtEnd("the file ends inside the frame header, before ITEM: ATOMS");
            }
            if (!any && in.isBlank()) {
                continue; // blank lines between frames
            }
            any = true;
            if (!in.startsWith("ITEM:")) {
                throw in.error("expected an ITEM: line, found " + in.quote(in.start, in.end));
            }
            String item = in.text(in.start + 5, in.end);
            if (item.equals("TIMESTEP")) {
                value("TIMESTEP");
                step = in.parseLong(in.start, in.end, "timestep");
            } else if (item.equals("TIME")) {
                value("TIME");
                time = in.parseDouble(in.start, in.end, "time");
            } else if (item.equals("UNITS")) {
                value("UNITS");
                unitStyle(in.text(in.start, in.end));
            } else if (item.equals("NUMBER OF ATOMS")) {
                value("NUMBER OF ATOMS");
                countLine = in.lineNo;
                natoms = in.parseLong(in.start, in.end, "number of atoms");
                in.checkCount(natoms, 3 * MIN_FIELD);
            } else if (item.startsWith("BOX BOUNDS")) {
                boxBounds(item);
            } else if (item.startsWith("ATOMS")) {
                if (natoms < 0) {
                    throw in.error("ITEM: ATOMS before ITEM: NUMBER OF ATOMS");
                }
                atomsLine = in.lineNo;
                columns = layout(item.substring(5).trim());
                return true;
            } else {
                throw in.error("unknown item " + in.quote(in.start, in.end));
            }
        }
    }

    /** Moves to the value line of an item. */
    private void value(String item) throws IOException, TrajectoryFormatException {
        if (!in.next()) {
            throw in.errorAtEnd("the file ends after ITEM: " + item);
        }
    }

    private void unitStyle(String name) throws TrajectoryFormatException {
        Units u;
        switch (name.toLowerCase(Locale.ROOT)) {
            case "real" -> u = Units.REAL;
            case "metal" -> u = Units.METAL;
            case "lj" -> u = Units.LJ;
            default -> throw in.error("unit style '" + name + "' is not supported (real, metal, lj)");
        }
        if (requested != null && u != requested) {
            throw in.error("the dump says units " + name + " but the reader was opened for " + requested.name().toLowerCase(Locale.ROOT));
        }
        units = u;
    }

    private void boxBounds(String item) throws IOException, TrajectoryFormatException {
        String[] words = item.substring("BOX BOUNDS".length()).trim().split("\\s+");
        triclinic = Arrays.asList(words).contains("xy");
        for (int k = 0; k < 3; k++) {
            value("BOX BOUNDS");
            int nf = in.split();
            int want = triclinic ? 3 : 2;
            if (nf != want) {
                throw in.error("box bounds line needs " + want + " numbers" + (triclinic ? " (lo_bound hi_bound tilt)" : " (lo hi)")
                        + ", found " + nf);
            }
            lo[k] = in.parseDouble(in.fs[0], in.fe[0], "box bound");
            hi[k] = in.parseDouble(in.fs[1], in.fe[1], "box bound");
            tilt[k] = triclinic ? in.parseDouble(in.fs[2], in.fe[2], "box tilt") : 0;
        }
        if (triclinic) {
            double xy = tilt[0];
            double xz = tilt[1];
            double yz = tilt[2];
            lo[0] -= Math.min(Math.min(0, xy), Math.min(xz, xy + xz));
            hi[0] -= Math.max(Math.max(0, xy), Math.max(xz, xy + xz));
            lo[1] -= Math.min(0, yz);
            hi[1] -= Math.max(0, yz);
        }
        boxSeen = true;
    }

    /** Column layout from the names after ITEM: ATOMS. */
    private Columns layout(String names) throws IOException, TrajectoryFormatException {
        if (names.isEmpty()) {
            // old dumps: "id type xs ys zs [ix iy iz]", told apart by the field count of the first line
            return new Columns(-1, 0, 1, 2, SCALED, -1, -1, -1);
        }
        String[] c = names.split("\\s+");
        int colId = -1;
        int colType = -1;
        int colImage = -1;
        int colV = -1;
        int colF = -1;
        int colPos = -1;
        int posKind = -1;
        int[] pos = new int[4];
        Arrays.fill(pos, -1);
        for (int k = 0; k < c.length; k++) {
            switch (c[k]) {
                case "id" -> colId = k;
                case "type" -> colType = k;
                case "xu" -> pos[UNWRAPPED] = triple(c, k, "xu", "yu", "zu");
                case "xsu" -> pos[SCALED_UNWRAPPED] = triple(c, k, "xsu", "ysu", "zsu");
                case "x" -> pos[WRAPPED] = triple(c, k, "x", "y", "z");
                case "xs" -> pos[SCALED] = triple(c, k, "xs", "ys", "zs");
                case "ix" -> colImage = triple(c, k, "ix", "iy", "iz");
                case "vx" -> colV = triple(c, k, "vx", "vy", "vz");
                case "fx" -> colF = triple(c, k, "fx", "fy", "fz");
                default -> {
                    // not used
                }
            }
        }
        for (int kind = 0; kind < 4; kind++) {
            if (pos[kind] >= 0) {
                posKind = kind;
                colPos = pos[kind];
                break;
            }
        }
        if (colPos < 0) {
            throw in.error("ITEM: ATOMS has no positions (x y z, xs ys zs, xu yu zu or xsu ysu zsu)");
        }
        if (posKind == UNWRAPPED || posKind == SCALED_UNWRAPPED) {
            colImage = -1; // already unwrapped
        }
        if ((posKind == SCALED || posKind == SCALED_UNWRAPPED || colImage >= 0) && !boxSeen) {
            throw in.error("scaled positions or image flags need ITEM: BOX BOUNDS before ITEM: ATOMS");
        }
        in.checkCount(natoms, (long) MIN_FIELD * c.length, " (NUMBER OF ATOMS on line " + countLine + ")");
        return new Columns(c.length, colId, colType, colPos, posKind, colImage, colV, colF);
    }

    /** Checks that columns k, k+1, k+2 are a, b, c; returns k. */
    private int triple(String[] c, int k, String a, String b, String d) throws TrajectoryFormatException {
        if (k + 2 >= c.length || !c[k + 1].equals(b) || !c[k + 2].equals(d)) {
            throw in.error("column " + a + " must be followed by " + b + " and " + d);
        }
        return k;
    }

    private TrajectoryFormatException truncated(int i) {
        return in.errorAtEnd("the file ends after " + i + " of the " + natoms + " atoms (NUMBER OF ATOMS on line " + countLine + ")");
    }

    /** Reads the atom lines of the frame whose header was just read. */
    private void readAtoms(Frame frame) throws IOException, TrajectoryFormatException {
        int n = (int) natoms;
        Units u = units;
        Columns cols = columns;
        boolean hasV = cols.v() >= 0;
        boolean hasF = cols.f() >= 0;
        frame.resize(n, hasV, hasF);
        double[] x = frame.x;
        double[] v = frame.v;
        double[] f = frame.f;
        typesCount = -1;
        if (typesBuffer.length < n) {
            typesBuffer = new int[n];
        }
        int[] t = typesBuffer;
        if (seen.length < n) {
            seen = new int[n];
            stamp = 0;
        }
        if (++stamp == Integer.MAX_VALUE) {
            Arrays.fill(seen, 0);
            stamp = 1;
        }
        double lx = hi[0] - lo[0];
        double ly = hi[1] - lo[1];
        double lz = hi[2] - lo[2];
        double xy = tilt[0];
        double xz = tilt[1];
        double yz = tilt[2];
        int kind = cols.posKind();
        int image = cols.image();
        for (int i = 0; i < n; i++) {
            if (!in.next()) {
                throw truncated(i);
            }
            int nf = in.split();
            if (cols.count() < 0) {
                // old header without names: decided on the first atom line
                if (nf != 5 && nf != 8) {
                    throw in.error("ITEM: ATOMS names no columns and the atom line has " + nf
                            + " fields (expected 5: id type xs ys zs, or 8 with ix iy iz)");
                }
                cols = cols.withFields(nf);
                columns = cols;
                image = cols.image();
                if (!boxSeen) {
                    throw in.error("scaled positions need ITEM: BOX BOUNDS before ITEM: ATOMS");
                }
            }
            if (nf != cols.count()) {
                throw in.error("atom line has " + nf + " fields but ITEM: ATOMS on line " + atomsLine + " names " + cols.count()
                        + " (atom " + (i + 1) + " of " + n + ")");
            }
            int slot = i;
            if (cols.id() >= 0) {
                long id = in.parseLong(in.fs[cols.id()], in.fe[cols.id()], "atom id");
                if (id < 1 || id > n) {
                    throw in.error("atom id " + id + " is outside 1.." + n + " (ids must be 1..N with N = NUMBER OF ATOMS on line "
                            + countLine + ")");
                }
                slot = (int) id - 1;
                if (seen[slot] == stamp) {
                    throw in.error("atom id " + id + " appears twice in this frame");
                }
                seen[slot] = stamp;
            }
            if (cols.type() >= 0) {
                long ty = in.parseLong(in.fs[cols.type()], in.fe[cols.type()], "atom type");
                if (ty < Integer.MIN_VALUE || ty > Integer.MAX_VALUE) {
                    throw in.error("atom type " + ty + " out of range");
                }
                t[slot] = (int) ty;
            }
            int c = cols.pos();
            double p0 = in.parseDouble(in.fs[c], in.fe[c], "position");
            double p1 = in.parseDouble(in.fs[c + 1], in.fe[c + 1], "position");
            double p2 = in.parseDouble(in.fs[c + 2], in.fe[c + 2], "position");
            if (image >= 0) {
                long ix = in.parseLong(in.fs[image], in.fe[image], "image flag ix");
                long iy = in.parseLong(in.fs[image + 1], in.fe[image + 1], "image flag iy");
                long iz = in.parseLong(in.fs[image + 2], in.fe[image + 2], "image flag iz");
                if (kind == SCALED) {
                    p0 += ix;
                    p1 += iy;
                    p2 += iz;
                } else {
                    p0 += ix * lx + iy * xy + iz * xz;
                    p1 += iy * ly + iz * yz;
                    p2 += iz * lz;
                }
            }
            if (kind == SCALED || kind == SCALED_UNWRAPPED) {
                double s0 = p0;
                double s1 = p1;
                double s2 = p2;
                p0 = lo[0] + s0 * lx + s1 * xy + s2 * xz;
                p1 = lo[1] + s1 * ly + s2 * yz;
                p2 = lo[2] + s2 * lz;
            }
            int o = 3 * slot;
            double d = u.lengthDivisor;
            x[o] = p0 / d;
            x[o + 1] = p1 / d;
            x[o + 2] = p2 / d;
            if (hasV) {
                parseVector(cols.v(), u.velocityFactor, V_NAMES, v, o);
            }
            if (hasF) {
                parseVector(cols.f(), u.forceFactor, F_NAMES, f, o);
            }
        }
        typesCount = cols.type() >= 0 ? n : -1;
        Box box = null;
        if (boxSeen) {
            double d = u.lengthDivisor;
            try {
                box = Box.triclinic((hi[0] - lo[0]) / d, xy / d, (hi[1] - lo[1]) / d, xz / d, yz / d, (hi[2] - lo[2]) / d);
            } catch (IllegalArgumentException e) {
                throw new TrajectoryFormatException(in.file, index, -1, "line " + atomsLine + ": unusable box: " + e.getMessage());
            }
            origin[0] = lo[0] / d;
            origin[1] = lo[1] / d;
            origin[2] = lo[2] / d;
        } else {
            Arrays.fill(origin, 0);
        }
        frame.box = box;
        frame.step = step;
        frame.time = time == time ? time * u.timeFactor : Double.NaN;
        frame.index = index;
        frame.precision = 0;
        index++;
    }

    /** Reads the three columns from {@code col} on of the current atom line, times {@code factor}, into dst[o, o + 3). */
    private void parseVector(int col, double factor, String[] names, double[] dst, int o) throws TrajectoryFormatException {
        for (int k = 0; k < 3; k++) {
            dst[o + k] = in.parseDouble(in.fs[col + k], in.fe[col + k], names[k]) * factor;
        }
    }
}

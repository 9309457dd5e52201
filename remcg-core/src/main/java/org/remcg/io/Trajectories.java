package org.remcg.io;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import org.remcg.system.Topology;

/**
 * Opens trajectory and structure files by format: the format is named explicitly or taken from
 * the file's extension (case-insensitive):
 *
 * <table>
 * <caption>formats</caption>
 * <tr><th>name</th><th>extensions</th><th>reader</th></tr>
 * <tr><td>gro</td><td>.gro</td><td>{@link GroReader}</td></tr>
 * <tr><td>pdb</td><td>.pdb</td><td>{@link PdbReader}</td></tr>
 * <tr><td>xyz</td><td>.xyz, .extxyz</td><td>{@link XyzReader}</td></tr>
 * <tr><td>lammpstrj</td><td>.lammpstrj, .dump</td><td>{@link LammpsDumpReader} (the file's unit style, real when it names none)</td></tr>
 * <tr><td>xtc</td><td>.xtc</td><td>{@link XtcReader}</td></tr>
 * <tr><td>trr</td><td>.trr</td><td>{@link TrrReader}</td></tr>
 * <tr><td>dcd</td><td>.dcd</td><td>{@link DcdReader}</td></tr>
 * </table>
 *
 * Frame selection ({@link #select}) wraps any reader and skips unwanted frames with
 * {@link TrajectoryReader#skip()}, which does not decode coordinates where the format allows it.
 */
public final class Trajectories {

    /** The format names accepted by {@link #open} and {@link #format}. */
    public static final String KNOWN = "gro (.gro), pdb (.pdb), xyz (.xyz, .extxyz), lammpstrj (.lammpstrj, .dump), xtc (.xtc), trr (.trr), dcd (.dcd)";

    private Trajectories() {
    }

    /**
     * The canonical format name of {@code file}: {@code formatOrNull} when given (checked), else
     * from the extension.
     *
     * @throws IllegalArgumentException for an unknown format name or extension, listing the known ones
     */
    public static String format(Path file, String formatOrNull) {
        if (formatOrNull != null) {
            String f = formatOrNull.strip().toLowerCase(Locale.ROOT);
            switch (f) {
                case "gro", "pdb", "xyz", "lammpstrj", "xtc", "trr", "dcd" -> {
                    return f;
                }
                case "extxyz" -> {
                    return "xyz";
                }
                case "dump", "lammps" -> {
                    return "lammpstrj";
                }
                default -> throw new IllegalArgumentException("unknown trajectory format '" + formatOrNull + "' for " + file + "; known: " + KNOWN);
            }
        }
        String name = file.getFileName() == null ? "" : file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String ext = dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
        return switch (ext) {
            case "gro", "pdb", "xyz", "lammpstrj", "xtc", "trr", "dcd" -> ext;
            case "extxyz" -> "xyz";
            case "dump" -> "lammpstrj";
            default -> throw new IllegalArgumentException(file + ": cannot tell the trajectory format from the extension '"
                    + (ext.isEmpty() ? "(none)" : "." + ext) + "'; known: " + KNOWN + " (or name the format explicitly)");
        };
    }

    /** Opens {@code file} with the reader for its format (see {@link #format}). */
    public static TrajectoryReader open(Path file, String formatOrNull) throws IOException, TrajectoryFormatException {
        return switch (format(file, formatOrNull)) {
            case "gro" -> new GroReader(file);
            case "pdb" -> new PdbReader(file);
            case "xyz" -> new XyzReader(file);
            case "lammpstrj" -> new LammpsDumpReader(file);
            case "xtc" -> XtcReader.open(file);
            case "trr" -> TrrReader.open(file);
            case "dcd" -> DcdReader.open(file);
            default -> throw new AssertionError();
        };
    }

    /**
     * Reads the first frame and the atom names and residues of a GRO, PDB or XYZ file (format by
     * extension).
     *
     * @throws IllegalArgumentException for any other format (they carry no atom names)
     */
    public static Structure readStructure(Path file) throws IOException, TrajectoryFormatException {
        return switch (format(file, null)) {
            case "gro" -> GroReader.readStructure(file);
            case "pdb" -> PdbReader.readStructure(file);
            case "xyz" -> XyzReader.readStructure(file);
            default -> throw new IllegalArgumentException(file + ": a structure (atom and residue names) is read from .gro, .pdb or .xyz files");
        };
    }

    /**
     * A writer for {@code file} by extension: .gro ({@link GroWriter}, needs the topology for
     * names), .xyz/.extxyz ({@link XyzWriter}) or .xtc ({@link XtcWriter}, default precision).
     */
    public static TrajectoryWriter openWriter(Path file, Topology topology) throws IOException {
        return openWriter(file, writerFormat(file), topology);
    }

    /**
     * The format a trajectory written to {@code file} gets, by its extension: gro, xyz or xtc.
     *
     * @throws IllegalArgumentException naming the file and the formats that can be written
     */
    public static String writerFormat(Path file) {
        String name = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".gro")) {
            return "gro";
        }
        if (name.endsWith(".xyz") || name.endsWith(".extxyz")) {
            return "xyz";
        }
        if (name.endsWith(".xtc")) {
            return "xtc";
        }
        int dot = name.lastIndexOf('.');
        String what = dot < 0 ? "a file without an extension" : name.substring(dot + 1).toUpperCase(Locale.ROOT) + " files";
        throw new IllegalArgumentException(file + ": cannot write " + what + "; trajectories are written as .xtc, .gro, .xyz or .extxyz");
    }

    /** A writer for {@code file} in a format of {@link #writerFormat} (gro, xyz or xtc), whatever the file's name. */
    public static TrajectoryWriter openWriter(Path file, String format, Topology topology) throws IOException {
        return switch (format) {
            case "gro" -> {
                if (topology == null) {
                    throw new IllegalArgumentException(file + ": writing GRO needs a topology (atom and residue names)");
                }
                yield new GroWriter(file, topology);
            }
            case "xyz" -> new XyzWriter(file, topology);
            case "xtc" -> new XtcWriter(file);
            default -> throw new IllegalArgumentException("unknown trajectory output format '" + format + "'; known: gro, xyz, xtc");
        };
    }

    /**
     * The frames {@code begin, begin + stride, ...} below {@code end} of {@code reader} (0-based
     * frame indices in the file; {@code end = -1} reads to the end). Frames not delivered are
     * passed over with {@link TrajectoryReader#skip()}. Closing the selection closes the reader.
     */
    public static TrajectoryReader select(TrajectoryReader reader, long begin, long end, long stride) {
        if (begin < 0 || stride < 1 || (end != -1 && end < begin)) {
            throw new IllegalArgumentException("frame selection needs begin >= 0, stride >= 1 and end >= begin or -1; got begin=" + begin
                    + " end=" + end + " stride=" + stride);
        }
        return new Selection(reader, begin, end, stride);
    }

    /** Frames begin, begin + stride, ... below end of a reader. */
    private static final class Selection extends DelegatingReader {
        private final long begin;
        private final long end;
        private final long stride;
        /** Index of the next frame the underlying reader will return. */
        private long position;
        /** Index of the next frame to deliver. */
        private long wanted;

        Selection(TrajectoryReader in, long begin, long end, long stride) {
            super(in);
            this.begin = begin;
            this.end = end;
            this.stride = stride;
            this.wanted = begin;
        }

        private boolean reachWanted() throws IOException, TrajectoryFormatException {
            if (end != -1 && wanted >= end) {
                return false;
            }
            while (position < wanted) {
                if (!in.skip()) {
                    position = Long.MAX_VALUE;
                    return false;
                }
                position++;
            }
            return true;
        }

        @Override
        public boolean next(Frame frame) throws IOException, TrajectoryFormatException {
            return deliver(frame);
        }

        @Override
        public boolean skip() throws IOException, TrajectoryFormatException {
            return deliver(null);
        }

        /** Moves to the next wanted frame and reads it into {@code frame}, or skips it when that is null. */
        private boolean deliver(Frame frame) throws IOException, TrajectoryFormatException {
            if (!reachWanted() || position == Long.MAX_VALUE) {
                return false;
            }
            if (!(frame == null ? in.skip() : in.next(frame))) {
                position = Long.MAX_VALUE;
                return false;
            }
            position++;
            wanted += stride;
            return true;
        }

        @Override
        public String toString() {
            return "frames " + begin + (end == -1 ? ".." : ".." + end) + " every " + stride + " of " + in.file();
        }
    }
}

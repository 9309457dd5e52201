package org.remcg.io;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.channels.FileChannel;
import java.util.Arrays;
import org.remcg.system.Box;

/**
 * Reads GROMACS GRO files, one frame after another (a GRO trajectory is GRO structures
 * concatenated).
 *
 * <p>Each frame is: a title line (free text; {@code t= <time in ps>} and {@code step= <n>} are
 * picked up when present), the atom count, one fixed-column line per atom and the box line. An
 * atom line holds the residue number (columns 1-5), residue name (6-10), atom name (11-15), atom
 * number (16-20), then x, y, z in nm and optionally vx, vy, vz in nm/ps. The coordinate fields
 * are normally {@code %8.3f} and the velocity fields {@code %8.4f}; files written with n decimals
 * use fields n + 5 wide (n + 1 decimals for velocities), so the field width is taken from the
 * distance between the first two decimal points of the first atom line of each frame (as GROMACS
 * does), and {@link Frame#precision} is set to the resolution this implies (0.001 nm for the usual
 * layout). Velocities are read when the first atom line of a frame has them.
 *
 * <p>The box line holds 3 or 9 numbers, {@code v1(x) v2(y) v3(z) v1(y) v1(z) v2(x) v2(z) v3(x) v3(y)};
 * the missing six are zero. A box of all zeros means "no box" ({@link Frame#box} null);
 * v1(y), v1(z) and v2(z) must be zero (the GROMACS convention).
 *
 * <p>Errors are {@link TrajectoryFormatException}s naming the file, frame and line. The atom count
 * is checked against the bytes left in the file before anything is allocated for it.
 */
public final class GroReader extends TextTrajectoryReader {

    /**
     * Fewest bytes an atom line can occupy: the 20 name and number columns and a newline. Any
     * real line is longer, so this bound never rejects a valid count.
     */
    static final int MIN_ATOM_LINE = 21;

    /** Index of the next frame. */
    private long index;

    // header of the frame being read
    private double titleTime;
    private long titleStep;
    private long countLine;

    public GroReader(Path file) throws IOException, TrajectoryFormatException {
        this(file, Lines.DEFAULT_BUFFER);
    }

    /** A reader with a read buffer of {@code bufferSize} bytes (it grows for longer lines). */
    public GroReader(Path file, int bufferSize) throws IOException, TrajectoryFormatException {
        open(file, bufferSize, this::readHeader, "no frame: the file is empty or blank");
    }

    /** Reads the first frame of a GRO file with its topology (atom names, residue names and numbers; masses unknown). */
    public static Structure readStructure(Path file) throws IOException, TrajectoryFormatException {
        try (GroReader r = new GroReader(file)) {
            Frame f = new Frame();
            Structure.Names names = new Structure.Names(r.atoms);
            if (!r.read(f, names, true)) {
                throw r.in.errorAtEnd("no frame"); // cannot happen: the constructor saw a header
            }
            return names.with(f);
        }
    }

    @Override
    public boolean next(Frame frame) throws IOException, TrajectoryFormatException {
        return read(frame, null, true);
    }

    /** Skips a frame: its lines are counted and the box line checked, but coordinates are not decoded. */
    @Override
    public boolean skip() throws IOException, TrajectoryFormatException {
        return read(null, null, false);
    }

    /**
     * Reads the title and atom count of the next frame; returns the count, or -1 at the clean end
     * of the file (nothing but blank lines left).
     */
    private int readHeader() throws IOException, TrajectoryFormatException {
        in.frame = index;
        if (!in.next()) {
            return -1;
        }
        boolean blankTitle = in.isBlank();
        titleTime = Double.NaN;
        titleStep = 0;
        if (!blankTitle) {
            titleTime = in.keyNumber("t=");
            titleStep = in.keyLong("step=");
        }
        if (!in.next()) {
            if (blankTitle) {
                return -1;
            }
            throw in.errorAtEnd("the file ends after the title line; expected the atom count");
        }
        if (blankTitle && in.isBlank()) {
            // trailing blank lines are fine; anything after them is not a frame we understand
            while (in.next()) {
                if (!in.isBlank()) {
                    throw in.error("text after blank lines where a frame title and atom count were expected");
                }
            }
            return -1;
        }
        countLine = in.lineNo;
        long n = in.parseLong(in.start, in.end, "atom count");
        in.checkCount(n, MIN_ATOM_LINE);
        return (int) n;
    }

    /**
     * Reads one frame into {@code frame} (null when skipping); gathers names when {@code names}
     * is not null; decodes numbers only when {@code decode}.
     */
    private boolean read(Frame frame, Structure.Names names, boolean decode) throws IOException, TrajectoryFormatException {
        int n = readHeader();
        if (n < 0) {
            return false;
        }
        double time = titleTime;
        long step = titleStep;
        long counted = countLine;
        int width = 0;
        boolean velocities = false;
        double[] x = null;
        double[] v = null;
        for (int i = 0; i < n; i++) {
            if (!in.next()) {
                throw in.errorAtEnd("the file ends after " + i + " of the " + n + " atoms counted on line " + counted);
            }
            int s = in.start;
            int len = in.end - s;
            if (i == 0) {
                width = fieldWidth();
                velocities = len > 20 + 3 * width && !in.isBlank(s + 20 + 3 * width, in.end);
                if (frame != null) {
                    frame.resize(n, velocities, false);
                    x = frame.x;
                    v = frame.v;
                }
            }
            int need = 20 + 3 * width;
            if (len < need) {
                throw in.error("atom line too short: " + len + " characters where the coordinates need " + need
                        + " (atom " + (i + 1) + " of the " + n + " counted on line " + counted + ")");
            }
            if (velocities && len < 20 + 6 * width) {
                throw in.error("atom line too short: " + len + " characters where the velocities (present on the frame's first atom line) need "
                        + (20 + 6 * width) + " (atom " + (i + 1) + " of " + n + ")");
            }
            if (decode) {
                int f = s + 20;
                int o = 3 * i;
                x[o] = in.parseDouble(f, f + width, "x");
                x[o + 1] = in.parseDouble(f + width, f + 2 * width, "y");
                x[o + 2] = in.parseDouble(f + 2 * width, f + 3 * width, "z");
                if (velocities) {
                    f += 3 * width;
                    v[o] = in.parseDouble(f, f + width, "vx");
                    v[o + 1] = in.parseDouble(f + width, f + 2 * width, "vy");
                    v[o + 2] = in.parseDouble(f + 2 * width, f + 3 * width, "vz");
                }
            }
            if (names != null) {
                names.residueNumbers[i] = (int) in.parseLong(s, s + 5, "residue number");
                names.residueNames[i] = names.intern(in.text(s + 5, s + 10));
                names.atomNames[i] = names.intern(in.text(s + 10, s + 15));
            }
        }
        if (!in.next()) {
            throw in.errorAtEnd("the file ends before the box line (expected after the " + n + " atoms counted on line " + counted + ")");
        }
        Box box = readBox(n, counted);
        if (frame != null) {
            if (n == 0) {
                frame.resize(0, false, false);
            }
            frame.box = box;
            frame.time = time;
            frame.step = step;
            frame.index = index;
            frame.precision = n == 0 ? 0 : Math.pow(10, -(width - 5));
        }
        index++;
        return true;
    }

    /**
     * Width of the coordinate fields, from the spacing of the decimal points in the current (first
     * atom) line: n decimals mean fields n + 5 wide.
     */
    private int fieldWidth() throws TrajectoryFormatException {
        byte[] b = in.buf;
        int from = in.start + 20;
        int e = in.end;
        int p1 = indexOf(b, '.', from, e);
        int p2 = p1 < 0 ? -1 : indexOf(b, '.', p1 + 1, e);
        if (p2 < 0) {
            throw in.error("cannot find the coordinates: an atom line needs x, y and z with decimal points from column 21 on");
        }
        int width = p2 - p1;
        int p3 = indexOf(b, '.', p2 + 1, e);
        if (width < 6 || width > 40 || p3 - p2 != width) {
            throw in.error("the decimal points of x, y and z are not evenly spaced (" + (p1 - in.start + 1) + ", " + (p2 - in.start + 1)
                    + ", " + (p3 < 0 ? "none" : String.valueOf(p3 - in.start + 1)) + "): not a GRO atom line");
        }
        return width;
    }

    private static int indexOf(byte[] b, char c, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] == c) {
                return i;
            }
        }
        return -1;
    }

    /** Parses the current line as the box line of a frame with n atoms (count on line {@code counted}). */
    private Box readBox(int n, long counted) throws TrajectoryFormatException {
        int nf = in.split();
        String where = " (the box line is expected after the " + n + " atoms counted on line " + counted + ")";
        if (nf != 3 && nf != 9) {
            throw in.error("the box line must hold 3 or 9 numbers, found " + nf + " fields" + where);
        }
        double[] g = new double[9];
        for (int k = 0; k < nf; k++) {
            g[k] = in.parseDouble(in.fs[k], in.fe[k], "box" + where);
        }
        // GRO order: v1(x) v2(y) v3(z) v1(y) v1(z) v2(x) v2(z) v3(x) v3(y)
        double[] m = {g[0], g[3], g[4], g[5], g[1], g[6], g[7], g[8], g[2]};
        boolean zero = true;
        for (double c : m) {
            zero &= c == 0;
        }
        if (zero) {
            return null;
        }
        try {
            return Box.fromMatrix(m);
        } catch (IllegalArgumentException e) {
            throw in.error("unusable box: " + e.getMessage());
        }
    }

    /**
     * Lines of a text file read through one byte buffer, with the parsing helpers the text
     * trajectory readers of this package share. The current line is {@code buf[start, end)}
     * (newline and a trailing carriage return removed), valid until the next call to {@link #next}.
     * Errors name the file, {@link #frame} and the current line.
     */
    static final class Lines implements Closeable {
        static final int DEFAULT_BUFFER = 1 << 16;
        /** Longest line accepted (64 MiB); protects against a binary file read by mistake. */
        static final int MAX_LINE = 1 << 26;
        /** Most atoms a frame may hold: 3 doubles per atom must fit a Java array. */
        static final long MAX_ATOMS = (Integer.MAX_VALUE - 8) / 3;

        final Path file;
        private final FileChannel ch;
        byte[] buf;
        private int pos;
        private int lim;
        /** Where the search for the next newline resumes. */
        private int scan;
        /** File offset of buf[0]. */
        private long bufStart;
        private boolean eof;

        /** The current line is buf[start, end). */
        int start;
        int end;
        /** 1-based number of the current line (0 before the first). */
        long lineNo;
        /** Frame the reader is in, for messages (-1: none). */
        long frame = -1;

        /** Field bounds filled by {@link #split}. */
        int[] fs = new int[16];
        int[] fe = new int[16];

        Lines(Path file, int bufferSize) throws IOException {
            if (bufferSize < 16) {
                throw new IllegalArgumentException("buffer size must be at least 16 bytes, got " + bufferSize);
            }
            this.file = file;
            this.ch = FileChannel.open(file, StandardOpenOption.READ);
            this.buf = new byte[bufferSize];
        }

        /** Moves to the next line; false at the end of the file. */
        boolean next() throws IOException, TrajectoryFormatException {
            while (true) {
                byte[] b = buf;
                for (int i = scan; i < lim; i++) {
                    if (b[i] == '\n') {
                        setLine(pos, i);
                        pos = i + 1;
                        scan = pos;
                        return true;
                    }
                }
                scan = lim;
                if (eof) {
                    if (pos < lim) {
                        setLine(pos, lim);
                        pos = lim;
                        scan = lim;
                        return true;
                    }
                    return false;
                }
                fill();
            }
        }

        private void setLine(int s, int e) {
            lineNo++;
            if (e > s && buf[e - 1] == '\r') {
                e--;
            }
            start = s;
            end = e;
        }

        /** Reads more of the file, first moving the unfinished line to the front (or growing the buffer). */
        private void fill() throws IOException, TrajectoryFormatException {
            if (pos > 0) {
                int rest = lim - pos;
                System.arraycopy(buf, pos, buf, 0, rest);
                bufStart += pos;
                scan -= pos;
                lim = rest;
                pos = 0;
            } else if (lim == buf.length) {
                if (buf.length >= MAX_LINE) {
                    lineNo++;
                    throw error("line longer than " + MAX_LINE + " bytes: not a text trajectory");
                }
                buf = Arrays.copyOf(buf, Math.min(MAX_LINE, 2 * buf.length));
            }
            int r = ch.read(ByteBuffer.wrap(buf, lim, buf.length - lim));
            if (r < 0) {
                eof = true;
            } else {
                lim += r;
            }
        }

        /** Goes back to the start of the file. */
        void rewind() throws IOException {
            ch.position(0);
            bufStart = 0;
            pos = 0;
            lim = 0;
            scan = 0;
            eof = false;
            lineNo = 0;
        }

        /** File offset of the first byte after the current line. */
        long position() {
            return bufStart + pos;
        }

        /**
         * Checks an atom count read from the current line: not negative, within what an array can
         * hold, and no more than the rest of the file can hold at {@code minBytes} per atom.
         */
        void checkCount(long n, long minBytes) throws IOException, TrajectoryFormatException {
            checkCount(n, minBytes, "");
        }

        /** As {@link #checkCount(long, long)}, with {@code where} (such as " (on line 4)") after the count in messages. */
        void checkCount(long n, long minBytes, String where) throws IOException, TrajectoryFormatException {
            if (n < 0) {
                throw error("negative atom count " + n + where);
            }
            if (n > MAX_ATOMS) {
                throw error("atom count " + n + where + " is more than remcg can hold (" + MAX_ATOMS + ")");
            }
            long need = n * minBytes;
            long left = ch.size() - position();
            if (need > left) {
                throw error("atom count " + n + where + " cannot be right: that many atoms need at least " + need + " more bytes but only "
                        + Math.max(0, left) + " remain (wrong count or truncated file)");
            }
        }

        /** An error on the current line. */
        TrajectoryFormatException error(String problem) {
            return new TrajectoryFormatException(file, frame, -1, "line " + lineNo + ": " + problem);
        }

        /** An error at the end of the file (the line that is missing). */
        TrajectoryFormatException errorAtEnd(String problem) {
            return new TrajectoryFormatException(file, frame, -1, "line " + (lineNo + 1) + " (end of file): " + problem);
        }

        static boolean isSpace(byte c) {
            return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == 0x0B;
        }

        boolean isBlank() {
            return isBlank(start, end);
        }

        boolean isBlank(int s, int e) {
            for (int i = s; i < e; i++) {
                if (!isSpace(buf[i])) {
                    return false;
                }
            }
            return true;
        }

        /** Splits the current line at whitespace into fs/fe; returns the number of fields. */
        int split() {
            return split(start, end);
        }

        /** Splits buf[s, e) at whitespace into fs/fe; returns the number of fields. */
        int split(int s, int e) {
            byte[] b = buf;
            int n = 0;
            int i = s;
            while (true) {
                while (i < e && isSpace(b[i])) {
                    i++;
                }
                if (i >= e) {
                    return n;
                }
                int f = i;
                while (i < e && !isSpace(b[i])) {
                    i++;
                }
                if (n == fs.length) {
                    fs = Arrays.copyOf(fs, 2 * n);
                    fe = Arrays.copyOf(fe, 2 * n);
                }
                fs[n] = f;
                fe[n] = i;
                n++;
            }
        }

        /** Whether the current line starts with {@code prefix} (ASCII). */
        boolean startsWith(String prefix) {
            return startsWith(start, prefix);
        }

        boolean startsWith(int s, String prefix) {
            int n = prefix.length();
            if (end - s < n) {
                return false;
            }
            for (int i = 0; i < n; i++) {
                if (buf[s + i] != prefix.charAt(i)) {
                    return false;
                }
            }
            return true;
        }

        /** The first index in [s, e) whose byte is not a blank, or e. */
        int skipBlanks(int s, int e) {
            while (s < e && isSpace(buf[s])) {
                s++;
            }
            return s;
        }

        /** The end of buf[s, e) without its trailing blanks. */
        int trimEnd(int s, int e) {
            while (e > s && isSpace(buf[e - 1])) {
                e--;
            }
            return e;
        }

        /** The number in buf[s, e) (surrounding blanks allowed); an error naming {@code what} otherwise. */
        double parseDouble(int s, int e, String what) throws TrajectoryFormatException {
            byte[] b = buf;
            s = skipBlanks(s, e);
            e = trimEnd(s, e);
            double v = DecimalParser.parse(b, s, e);
            if (v - v != 0) { // NaN (not a number) or infinite
                if (s == e) {
                    throw error(what + " is missing (blank field)");
                }
                throw error(quote(s, e) + " is not a finite number (" + what + ")");
            }
            return v;
        }

        /** The integer in buf[s, e) (surrounding blanks allowed); an error naming {@code what} otherwise. */
        long parseLong(int s, int e, String what) throws TrajectoryFormatException {
            byte[] b = buf;
            s = skipBlanks(s, e);
            e = trimEnd(s, e);
            if (s == e) {
                throw error(what + " is missing (blank field)");
            }
            int i = s;
            boolean negative = false;
            if (b[i] == '-' || b[i] == '+') {
                negative = b[i] == '-';
                i++;
            }
            if (i == e) {
                throw error(quote(s, e) + " is not an integer (" + what + ")");
            }
            long v = 0;
            for (; i < e; i++) {
                int d = b[i] - '0';
                if (d < 0 || d > 9) {
                    throw error(quote(s, e) + " is not an integer (" + what + ")");
                }
                if (v > (Long.MAX_VALUE - d) / 10) {
                    throw error(quote(s, e) + " is too large (" + what + ")");
                }
                v = v * 10 + d;
            }
            return negative ? -v : v;
        }

        /** buf[s, e) with surrounding blanks removed, as a String (each byte one character). */
        String text(int s, int e) {
            byte[] b = buf;
            e = Math.min(e, end);
            s = skipBlanks(s, e);
            e = trimEnd(s, e);
            return s >= e ? "" : new String(b, s, e - s, StandardCharsets.ISO_8859_1);
        }

        /** buf[s, e) in quotes for a message, shortened when long. */
        String quote(int s, int e) {
            int n = Math.min(e - s, 40);
            return "'" + new String(buf, s, n, StandardCharsets.ISO_8859_1) + (e - s > n ? "...'" : "'");
        }

        /**
         * Start of the value following {@code key} (such as {@code "t="}) in the current line, where
         * the key starts the line or follows a blank, with blanks after the key skipped; the value
         * ends at {@link #valueEnd}. -1 when the key does not occur.
         */
        int keyValue(String key) {
            byte[] b = buf;
            int n = key.length();
            for (int i = start; i + n <= end; i++) {
                if ((i == start || isSpace(b[i - 1])) && startsWith(i, key)) {
                    int s = i + n;
                    while (s < end && isSpace(b[s])) {
                        s++;
                    }
                    int e = s;
                    while (e < end && !isSpace(b[e])) {
                        e++;
                    }
                    valueEnd = e;
                    return s;
                }
            }
            return -1;
        }

        /** End of the value found by {@link #keyValue}. */
        int valueEnd;

        /** The number after {@code key} in the current line (see {@link #keyValue}), NaN when absent or not a number. */
        double keyNumber(String key) {
            int s = keyValue(key);
            if (s < 0) {
                return Double.NaN;
            }
            double v = DecimalParser.parse(buf, s, valueEnd);
            return v - v == 0 ? v : Double.NaN;
        }

        /** The integer after {@code key} in the current line (see {@link #keyValue}), 0 when absent or not an integer. */
        long keyLong(String key) {
            int s = keyValue(key);
            if (s < 0) {
                return 0;
            }
            try {
                return parseLong(s, valueEnd, key);
            } catch (TrajectoryFormatException e) {
                return 0; // free text: a malformed value is not an error
            }
        }

        @Override
        public void close() throws IOException {
            ch.close();
        }
    }
}

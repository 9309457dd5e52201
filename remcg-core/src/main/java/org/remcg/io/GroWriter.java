package org.remcg.io;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.remcg.system.Box;
import org.remcg.system.Topology;

/**
 * Writes frames as a GROMACS GRO trajectory (frames one after another).
 *
 * <p>Per frame: a title line ({@code <title> t= <time> step= <step>} when the time is known), the
 * atom count, one line per atom in GROMACS' layout {@code %5d%-5s%5s%5d%8.3f%8.3f%8.3f} followed
 * by {@code %8.4f%8.4f%8.4f} velocities when the frame has them (and velocities are enabled), then
 * the box line: {@code %10.5f} x 3 for a rectangular box, x 9 in GRO order
 * {@code v1(x) v2(y) v3(z) v1(y) v1(z) v2(x) v2(z) v3(x) v3(y)} for a triclinic one, zeros without a
 * box. Residue and atom numbers wrap at 100000 as in GROMACS; names longer than five characters
 * are cut. Numbers are rounded like C's printf (to nearest, ties to even on the exact binary
 * value). A value that does not fit its field (positions beyond -999.999 .. 9999.999 nm) is an
 * {@link IllegalArgumentException}, since widening the field would break the fixed columns.
 *
 * <p>Output goes to a temporary file beside the target, moved into place by {@link #close}; if a
 * write failed, close deletes the temporary file and leaves the target untouched.
 */
public final class GroWriter implements TrajectoryWriter {

    private final AtomicOutput out;
    private final int atoms;
    /** The fixed 20 name and number columns of every atom line. */
    private final byte[] prefixes;
    private final String title;
    private final boolean velocities;
    private final byte[] line = new byte[128];

    /** A writer using the title "remcg" and writing velocities when frames have them. */
    public GroWriter(Path target, Topology topology) throws IOException {
        this(target, topology, "remcg", true);
    }

    /**
     * @param title      first part of every title line (line breaks are replaced by blanks)
     * @param velocities whether to write velocities of frames that have them
     */
    public GroWriter(Path target, Topology topology, String title, boolean velocities) throws IOException {
        this.atoms = topology.atoms();
        this.title = title == null ? "" : title.replace('\n', ' ').replace('\r', ' ');
        this.velocities = velocities;
        this.prefixes = new byte[20 * atoms];
        for (int i = 0; i < atoms; i++) {
            int p = 20 * i;
            rightInt(prefixes, p, 5, Math.floorMod(topology.residueNumber(i), 100000));
            name(prefixes, p + 5, topology.residueName(i), false);
            name(prefixes, p + 10, topology.atomName(i), true);
            rightInt(prefixes, p + 15, 5, (i + 1) % 100000);
        }
        this.out = new AtomicOutput(target);
    }

    @Override
    public void write(Frame frame) throws IOException {
        out.write(() -> writeFrame(frame));
    }

    private void writeFrame(Frame frame) throws IOException {
        if (frame.atoms != atoms) {
            throw new IllegalArgumentException("frame " + frame.index + " has " + frame.atoms + " atoms, the topology " + atoms);
        }
        OutputStream os = out.stream;
        StringBuilder head = new StringBuilder(title);
        if (frame.time == frame.time) {
            head.append(" t= ").append(plain(frame.time)).append(" step= ").append(frame.step);
        } else if (frame.step != 0) {
            head.append(" step= ").append(frame.step);
        }
        head.append('\n');
        os.write(head.toString().getBytes(StandardCharsets.UTF_8));
        byte[] b = line;
        int p = rightInt(b, 0, 5, atoms);
        b[p++] = '\n';
        os.write(b, 0, p);
        boolean withV = velocities && frame.v != null;
        double[] x = frame.x;
        double[] v = frame.v;
        for (int i = 0; i < atoms; i++) {
            System.arraycopy(prefixes, 20 * i, b, 0, 20);
            p = 20;
            int o = 3 * i;
            try {
                p = fixed(b, p, 8, 3, x[o]);
                p = fixed(b, p, 8, 3, x[o + 1]);
                p = fixed(b, p, 8, 3, x[o + 2]);
                if (withV) {
                    p = fixed(b, p, 8, 4, v[o]);
                    p = fixed(b, p, 8, 4, v[o + 1]);
                    p = fixed(b, p, 8, 4, v[o + 2]);
                }
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("frame " + frame.index + ", atom " + (i + 1) + ": " + e.getMessage(), e);
            }
            b[p++] = '\n';
            os.write(b, 0, p);
        }
        p = 0;
        Box box = frame.box;
        if (box == null) {
            for (int k = 0; k < 3; k++) {
                p = fixed(b, p, 10, 5, 0.0);
            }
        } else {
            double[] m = box.matrix();
            p = fixed(b, p, 10, 5, m[0]);
            p = fixed(b, p, 10, 5, m[4]);
            p = fixed(b, p, 10, 5, m[8]);
            if (!box.isOrthorhombic()) {
                // v1(y) v1(z) v2(x) v2(z) v3(x) v3(y)
                double[] rest = {m[1], m[2], m[3], m[5], m[6], m[7]};
                for (double c : rest) {
                    p = fixed(b, p, 10, 5, c);
                }
            }
        }
        b[p++] = '\n';
        os.write(b, 0, p);
    }

    /** Moves the file into place (or deletes it when a write failed). */
    @Override
    public void close() throws IOException {
        out.close();
    }

    // ------------------------------------------------------------------------------------------
    // Helpers shared with the other writers of this package
    // ------------------------------------------------------------------------------------------

    /** Shortest decimal text of v without an exponent (for times and other one-off values). */
    static String plain(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v) + ".0";
        }
        return BigDecimal.valueOf(v).toPlainString();
    }

    /** Writes n right-aligned in a field {@code width} wide (wider if needed); returns the new position. */
    static int rightInt(byte[] b, int p, int width, long n) {
        String s = Long.toString(n);
        for (int k = s.length(); k < width; k++) {
            b[p++] = ' ';
        }
        for (int k = 0; k < s.length(); k++) {
            b[p++] = (byte) s.charAt(k);
        }
        return p;
    }

    /** Writes a name into five columns, right- or left-aligned, cut to five characters (non-ASCII becomes '?'). */
    private static void name(byte[] b, int p, String s, boolean right) {
        int n = Math.min(5, s.length());
        int pad = 5 - n;
        int q = p;
        if (right) {
            for (int k = 0; k < pad; k++) {
                b[q++] = ' ';
            }
        }
        for (int k = 0; k < n; k++) {
            char c = s.charAt(k);
            b[q++] = c > ' ' && c < 127 ? (byte) c : (c == ' ' ? (byte) ' ' : (byte) '?');
        }
        if (!right) {
            for (int k = 0; k < pad; k++) {
                b[q++] = ' ';
            }
        }
    }

    private static final double[] POW10 = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9};
    private static final long[] LPOW10 = {1L, 10L, 100L, 1000L, 10000L, 100000L, 1000000L, 10000000L, 100000000L, 1000000000L};

    /**
     * Writes v with {@code dec} decimals (0 to 9), right-aligned in {@code width} columns (width 0: no
     * padding), rounded as C's printf rounds: to the nearest representable decimal of the exact binary
     * value, ties to even, with a minus sign whenever the sign bit is set. Returns the new position.
     *
     * <p>The fast path splits |v| exactly into an integer part and a fraction below one, so the only
     * rounding error is in scaling the fraction (below 1e-7 in units of the last digit); only values
     * within 1e-6 of a rounding tie, and huge values, take the exact BigDecimal path.
     *
     * @throws IllegalArgumentException when v is not finite or does not fit the width
     */
    static int fixed(byte[] b, int p, int width, int dec, double v) {
        if (!Double.isFinite(v)) {
            throw new IllegalArgumentException("cannot write " + v);
        }
        boolean negative = Double.doubleToRawLongBits(v) < 0;
        double a = Math.abs(v);
        if (a < 1e15) {
            long ip = (long) a;
            double fa = (a - ip) * POW10[dec]; // a - ip is exact
            double fl = Math.floor(fa);
            double d = fa - fl;
            if (Math.abs(d - 0.5) > 1e-6) {
                long fp = (long) fl + (d > 0.5 ? 1 : 0);
                if (fp == LPOW10[dec]) {
                    ip++;
                    fp = 0;
                }
                int intDigits = digits(ip);
                int len = (negative ? 1 : 0) + intDigits + (dec > 0 ? dec + 1 : 0);
                p = lead(b, p, len, width, negative, v, dec);
                p += intDigits;
                for (int k = 1; k <= intDigits; k++) {
                    b[p - k] = (byte) ('0' + ip % 10);
                    ip /= 10;
                }
                if (dec > 0) {
                    b[p++] = '.';
                    p += dec;
                    for (int k = 1; k <= dec; k++) {
                        b[p - k] = (byte) ('0' + fp % 10);
                        fp /= 10;
                    }
                }
                return p;
            }
        }
        String s = new BigDecimal(a).setScale(dec, RoundingMode.HALF_EVEN).toPlainString();
        int len = (negative ? 1 : 0) + s.length();
        p = lead(b, p, len, width, negative, v, dec);
        for (int k = 0; k < s.length(); k++) {
            b[p++] = (byte) s.charAt(k);
        }
        return p;
    }

    /** Pads a number of {@code len} characters to {@code width} with leading blanks and writes its sign; the position after them. */
    private static int lead(byte[] b, int p, int len, int width, boolean negative, double v, int dec) {
        if (width > 0 && len > width) {
            throw tooWide(v, width, dec);
        }
        for (int k = len; k < width; k++) {
            b[p++] = ' ';
        }
        if (negative) {
            b[p++] = '-';
        }
        return p;
    }

    private static IllegalArgumentException tooWide(double v, int width, int dec) {
        return new IllegalArgumentException(v + " does not fit the fixed field %" + width + "." + dec + "f");
    }

    private static int digits(long n) {
        int d = 1;
        while (n >= 10) {
            n /= 10;
            d++;
        }
        return d;
    }

    /**
     * A buffered stream into a temporary file beside the target, moved over the target on
     * {@link #close} unless {@link #fail} was called (then the temporary file is deleted).
     */
    static final class AtomicOutput implements Closeable {
        final Path target;
        private final Path tmp;
        final OutputStream stream;
        private boolean failed;
        private boolean closed;

        AtomicOutput(Path target) throws IOException {
            this.target = target;
            if (AtomicFiles.special(target)) {
                this.tmp = null; // a device or pipe: written in place
                this.stream = new BufferedOutputStream(AtomicFiles.naming(Files.newOutputStream(target), target), 1 << 16);
                return;
            }
            this.tmp = AtomicFiles.createTemp(target);
            OutputStream os;
            try {
                os = new BufferedOutputStream(AtomicFiles.naming(Files.newOutputStream(tmp), target), 1 << 16);
            } catch (IOException | RuntimeException e) {
                Files.deleteIfExists(tmp);
                throw e;
            }
            this.stream = os;
        }

        /** Writes something to the stream. */
        @FunctionalInterface
        interface Writing {
            void run() throws IOException;
        }

        /**
         * Runs {@code writing} unless the output is closed or an earlier write failed; if it fails, the
         * output is marked unusable (close will discard it) and the failure rethrown.
         */
        void write(Writing writing) throws IOException {
            check();
            try {
                writing.run();
            } catch (IOException | RuntimeException e) {
                failed = true;
                throw e;
            }
        }

        /** Refuses further writes after a failure or close. */
        private void check() throws IOException {
            if (closed) {
                throw new IOException(target + ": writer is closed");
            }
            if (failed) {
                throw new IOException(target + ": an earlier write failed; nothing more is written");
            }
        }

        @Override
        public void close() throws IOException {
            if (closed) {
                return;
            }
            closed = true;
            try {
                stream.close();
                if (!failed && tmp != null) {
                    AtomicFiles.commit(tmp, target);
                }
            } finally {
                if (tmp != null) {
                    Files.deleteIfExists(tmp);
                }
            }
        }
    }
}

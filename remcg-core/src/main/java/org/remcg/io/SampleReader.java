package org.remcg.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Streams numeric samples from a text file in constant memory.
 *
 * <p>Format: one sample per line, fields separated by commas and/or blanks; blank lines and
 * {@code #} comments (whole-line or trailing) are ignored. If the first data line has a field
 * that is not a number it is a header of column names. Columns are chosen by name (header) or
 * 1-based number; without a choice a line must hold exactly {@code dimension} fields (or the
 * header must name exactly that many columns). Numbers are parsed from the bytes without
 * creating strings; the result is bit-identical to {@link Double#parseDouble} (short decimals
 * take an exact fast path, anything else falls back to the JDK parser).
 */
public final class SampleReader {
    private static final int BATCH = 8192;
    private static final int MAX_FIELDS = 4096;
    private static final double[] POW10 = new double[23];

    static {
        double p = 1;
        for (int i = 0; i < POW10.length; i++) {
            POW10[i] = p;
            p *= 10;
        }
    }

    /** Receives points in batches, in file order; the arrays are reused between calls. ys is null in 1-D. */
    public interface Sink {
        void accept(double[] xs, double[] ys, long[] lines, int count) throws DataFormatException;
    }

    private SampleReader() {
    }

    /** Streams the file into the sink and returns the number of points. */
    public static long read(Path file, int dimension, String columns, Sink sink) throws IOException, DataFormatException {
        if (dimension != 1 && dimension != 2) {
            throw new IllegalArgumentException("dimension must be 1 or 2, got " + dimension);
        }
        InputStream in;
        try {
            in = Files.newInputStream(file);
        } catch (NoSuchFileException e) {
            throw new DataFormatException(file, 0, "cannot read: no such file");
        }
        try (in) {
            return new Parser(file, dimension, columns, sink).run(in);
        }
    }

    private static final class Parser {
        final Path file;
        final int dim;
        final String columns;
        final Sink sink;
        final double[] xs = new double[BATCH];
        final double[] ys;
        final long[] lines = new long[BATCH];
        int n;
        long total;
        long lineNo;
        boolean first = true;
        int[] select;          // 0-based field indices for x (and y), or null: all fields, exactly dim
        byte[] line = new byte[256];
        int len;
        final int[] fieldStart = new int[MAX_FIELDS];
        final int[] fieldEnd = new int[MAX_FIELDS];

        Parser(Path file, int dim, String columns, Sink sink) {
            this.file = file;
            this.dim = dim;
            this.columns = columns;
            this.sink = sink;
            this.ys = dim == 2 ? new double[BATCH] : null;
        }

        long run(InputStream in) throws IOException, DataFormatException {
            byte[] buf = new byte[1 << 20];
            int r;
            while ((r = in.read(buf)) > 0) {
                int start = 0;
                for (int i = 0; i < r; i++) {
                    if (buf[i] == '\n') {
                        append(buf, start, i - start);
                        endLine();
                        start = i + 1;
                    }
                }
                append(buf, start, r - start);
            }
            if (len > 0) {
                endLine();
            }
            flush();
            if (total == 0) {
                throw new DataFormatException(file, 0, "no data points (the file is empty or holds only comments)");
            }
            return total;
        }

        private void append(byte[] b, int off, int count) {
            if (count <= 0) {
                return;
            }
            if (len + count > line.length) {
                line = java.util.Arrays.copyOf(line, Math.max(2 * line.length, len + count));
            }
            System.arraycopy(b, off, line, len, count);
            len += count;
        }

        private void endLine() throws DataFormatException {
            lineNo++;
            int end = len;
            len = 0;
            int fields = split(end);
            if (fields == 0) {
                return;
            }
            if (first) {
                first = false;
                if (isHeader(fields)) {
                    header(fields);
                    return;
                }
                noHeader();
            }
            if (select == null) {
                if (fields != dim) {
                    throw new DataFormatException(file, lineNo, "expected " + dim + (dim == 1 ? " value" : " values") + " per line, found " + fields);
                }
                xs[n] = number(0);
                if (dim == 2) {
                    ys[n] = number(1);
                }
            } else {
                for (int c : select) {
                    if (c >= fields) {
                        throw new DataFormatException(file, lineNo, "column " + (c + 1) + " is missing (the line has " + fields + " fields)");
                    }
                }
                xs[n] = number(select[0]);
                if (dim == 2) {
                    ys[n] = number(select[1]);
                }
            }
            lines[n] = lineNo;
            n++;
            total++;
            if (n == BATCH) {
                flush();
            }
        }

        private void flush() throws DataFormatException {
            if (n > 0) {
                sink.accept(xs, ys, lines, n);
                n = 0;
            }
        }

        /** Splits the current line into fields; returns their number (a comment ends the line). */
        private int split(int end) throws DataFormatException {
            int k = 0;
            int i = 0;
            while (i < end) {
                byte c = line[i];
                if (c == '#') {
                    break;
                }
                if (c == ',' || c == ' ' || c == '\t' || c == '\r') {
                    i++;
                    continue;
                }
                int s = i;
                while (i < end) {
                    c = line[i];
                    if (c == ',' || c == ' ' || c == '\t' || c == '\r' || c == '#') {
                        break;
                    }
                    i++;
                }
                if (k == MAX_FIELDS) {
                    throw new DataFormatException(file, lineNo, "more than " + MAX_FIELDS + " fields");
                }
                fieldStart[k] = s;
                fieldEnd[k] = i;
                k++;
            }
            return k;
        }

        private String text(int f) {
            return new String(line, fieldStart[f], fieldEnd[f] - fieldStart[f], StandardCharsets.UTF_8);
        }

        private boolean isHeader(int fields) {
            for (int f = 0; f < fields; f++) {
                if (Double.isNaN(parse(fieldStart[f], fieldEnd[f]))) {
                    return true;
                }
            }
            return false;
        }

        private void header(int fields) throws DataFormatException {
            List<String> names = new ArrayList<>();
            for (int f = 0; f < fields; f++) {
                names.add(text(f));
            }
            if (columns == null) {
                if (fields != dim) {
                    throw new DataFormatException(file, lineNo, "the header names " + fields + " columns " + names
                            + "; choose " + (dim == 1 ? "one" : "two") + " with --column");
                }
                select = dim == 1 ? new int[] {0} : new int[] {0, 1};
                return;
            }
            String[] want = wanted();
            select = new int[dim];
            for (int d = 0; d < dim; d++) {
                int idx = names.indexOf(want[d]);
                if (idx < 0) {
                    idx = columnNumber(want[d], fields);
                }
                if (idx < 0) {
                    throw new DataFormatException(file, lineNo, "no column '" + want[d] + "' in the header " + names);
                }
                select[d] = idx;
            }
        }

        private void noHeader() throws DataFormatException {
            if (columns == null) {
                return;
            }
            String[] want = wanted();
            select = new int[dim];
            for (int d = 0; d < dim; d++) {
                int idx = columnNumber(want[d], Integer.MAX_VALUE);
                if (idx < 0) {
                    throw new DataFormatException(file, lineNo, "column '" + want[d] + "' is not a 1-based column number and the file has no header");
                }
                select[d] = idx;
            }
        }

        private String[] wanted() throws DataFormatException {
            String[] want = columns.split(",");
            if (want.length != dim) {
                throw new DataFormatException(file, 0, "--column '" + columns + "' must name " + dim + (dim == 1 ? " column" : " columns, comma-separated"));
            }
            for (int i = 0; i < want.length; i++) {
                want[i] = want[i].trim();
            }
            return want;
        }

        private static int columnNumber(String s, int fields) {
            try {
                int c = Integer.parseInt(s);
                return c >= 1 && c <= fields ? c - 1 : -1;
            } catch (NumberFormatException e) {
                return -1;
            }
        }

        private double number(int f) throws DataFormatException {
            double v = parse(fieldStart[f], fieldEnd[f]);
            if (Double.isNaN(v) || Double.isInfinite(v)) {
                throw new DataFormatException(file, lineNo, "'" + text(f) + "' is not a finite number");
            }
            return v;
        }

        /** Parses [s, e) as a decimal number; NaN when it is not one. */
        private double parse(int s, int e) {
            int i = s;
            boolean neg = false;
            if (i < e && (line[i] == '+' || line[i] == '-')) {
                neg = line[i] == '-';
                i++;
            }
            long mant = 0;
            int digits = 0;       // significant digits collected into mant
            int dropped = 0;      // integer digits beyond 19 (scale up)
            int scale = 0;        // decimal exponent adjustment from the fraction
            boolean any = false;
            boolean exact = true;
            while (i < e && line[i] >= '0' && line[i] <= '9') {
                any = true;
                int d = line[i] - '0';
                if (digits < 18) {
                    if (mant != 0 || d != 0) {
                        digits++;
                    }
                    mant = mant * 10 + d;
                } else {
                    dropped++;
                    exact = false;
                }
                i++;
            }
            if (i < e && line[i] == '.') {
                i++;
                while (i < e && line[i] >= '0' && line[i] <= '9') {
                    any = true;
                    int d = line[i] - '0';
                    if (digits < 18) {
                        if (mant != 0 || d != 0) {
                            digits++;
                        }
                        mant = mant * 10 + d;
                        scale--;
                    } else {
                        exact = false;
                    }
                    i++;
                }
            }
            if (!any) {
                return Double.NaN;
            }
            int exp = 0;
            if (i < e && (line[i] == 'e' || line[i] == 'E')) {
                i++;
                boolean eneg = false;
                if (i < e && (line[i] == '+' || line[i] == '-')) {
                    eneg = line[i] == '-';
                    i++;
                }
                if (i >= e) {
                    return Double.NaN;
                }
                while (i < e && line[i] >= '0' && line[i] <= '9') {
                    if (exp < 100000) {
                        exp = exp * 10 + (line[i] - '0');
                    }
                    i++;
                }
                if (eneg) {
                    exp = -exp;
                }
            }
            if (i != e) {
                return Double.NaN;
            }
            int p = exp + scale + dropped;
            if (exact && digits <= 15 && mant < (1L << 53)) {
                double v = mant;
                if (p == 0) {
                    return neg ? -v : v;
                }
                if (p > 0 && p <= 22) {
                    v *= POW10[p];
                    return neg ? -v : v;
                }
                if (p < 0 && p >= -22) {
                    v /= POW10[-p];
                    return neg ? -v : v;
                }
            }
            try {
                return Double.parseDouble(new String(line, s, e - s, StandardCharsets.US_ASCII));
            } catch (NumberFormatException ex) {
                return Double.NaN;
            }
        }
    }
}

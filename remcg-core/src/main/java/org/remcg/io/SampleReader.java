package org.remcg.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;

/**
 * Streaming reader for text files of 1-D or 2-D numeric samples.
 *
 * <h2>Format</h2>
 * <ul>
 *   <li>One point per line. Blank lines are skipped; {@code #} starts a comment that runs to the end of
 *       the line (a line whose first non-blank character is {@code #} is therefore skipped as well).</li>
 *   <li>Fields are separated by whitespace (space, tab, CR) and/or a comma. Two commas with nothing but
 *       blanks between them, a leading comma or a trailing comma denote an <em>empty</em> field, as in
 *       CSV, so that columns never shift silently. Windows line endings work; a UTF-8 byte-order mark
 *       at the start of the file is skipped.</li>
 *   <li>If the first non-blank, non-comment line has a field that is not a number and looks like a
 *       name (it contains a letter and is not a spelling of NaN or infinity), that line is a header of
 *       column names (surrounding double quotes are dropped from names). Otherwise it is data.</li>
 *   <li>{@code columns} selects what to read: {@code null}, or for dimension 1 one column, for
 *       dimension 2 two columns separated by a comma ({@code "x,y"}). A column is a header name or a
 *       1-based column number; a name matching a header entry wins over the number reading.</li>
 *   <li>With {@code columns == null} every data line must hold exactly {@code dimension} fields, and a
 *       header, if present, must name exactly {@code dimension} columns. With explicit columns a data
 *       line must reach the highest selected column; further fields are ignored.</li>
 *   <li>Values are decimal numbers: optional sign, digits with an optional point (at least one digit
 *       overall), optional exponent ({@code e}/{@code E}, optional sign, digits). Hexadecimal, NaN,
 *       infinity and values that overflow a double are rejected.</li>
 * </ul>
 *
 * <h2>Implementation</h2>
 * The file is read through one large byte buffer (1 MiB by default; it grows only if a single line is
 * longer than that), lines are split and numbers parsed directly from the bytes, and points are handed
 * out in batches of {@value #BATCH} through arrays that are reused, so memory use does not depend on
 * the file size. Numbers are converted by {@link DecimalParser}, bit-identical to
 * {@link Double#parseDouble} and several times faster.
 */
public final class SampleReader {

    /** Points per call of {@link Sink#accept}. */
    public static final int BATCH = 8192;

    /** Default size of the read buffer. */
    static final int DEFAULT_BUFFER = 1 << 20;

    /** Longest field text quoted in an error message. */
    private static final int QUOTE_LIMIT = 40;


    /**
     * Receives points in batches, in file order. {@code xs}, {@code ys} and {@code lines} are reused
     * between calls, so use their contents before returning. {@code ys} is null for dimension 1;
     * {@code lines[i]} is the 1-based line number of point {@code i}; only the first {@code count}
     * entries are valid.
     */
    public interface Sink {
        void accept(double[] xs, double[] ys, long[] lines, int count) throws DataFormatException;
    }

    private SampleReader() {
    }

    /**
     * Streams {@code file} into {@code sink}.
     *
     * @param dimension 1 or 2
     * @param columns   null, or the column(s) to read: header names or 1-based numbers, two of them
     *                  separated by a comma when {@code dimension} is 2
     * @return the number of points read (always at least 1)
     * @throws DataFormatException      for missing files and any problem with the content
     * @throws IllegalArgumentException for a bad dimension or a malformed {@code columns} string
     * @throws IOException              for other failures reading the file
     */
    public static long read(Path file, int dimension, String columns, Sink sink) throws IOException, DataFormatException {
        return read(file, dimension, columns, sink, DEFAULT_BUFFER);
    }

    /** As {@link #read(Path, int, String, Sink)} with a chosen initial buffer size (for tests). */
    static long read(Path file, int dimension, String columns, Sink sink, int bufferSize)
            throws IOException, DataFormatException {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(sink, "sink");
        if (dimension != 1 && dimension != 2) {
            throw new IllegalArgumentException("dimension must be 1 or 2, not " + dimension);
        }
        if (bufferSize < 1) {
            throw new IllegalArgumentException("buffer size must be positive");
        }
        String[] wanted = columns == null ? null : splitColumnSpec(columns, dimension);
        if (Files.isDirectory(file)) {
            throw new DataFormatException(file, 0, "cannot read: it is a directory");
        }
        InputStream in;
        try {
            in = Files.newInputStream(file);
        } catch (NoSuchFileException e) {
            throw new DataFormatException(file, 0, "cannot read: no such file");
        } catch (AccessDeniedException e) {
            throw new DataFormatException(file, 0, "cannot read: permission denied");
        }
        try (in) {
            return new Scanner(file, dimension, wanted, sink, bufferSize).run(in);
        }
    }

    /** Splits and checks the user's column choice: exactly {@code dim} non-empty entries. */
    private static String[] splitColumnSpec(String columns, int dim) {
        String[] parts = columns.split(",", -1);
        boolean ok = parts.length == dim;
        for (int i = 0; i < parts.length; i++) {
            parts[i] = parts[i].trim();
            ok &= !parts[i].isEmpty();
        }
        if (!ok) {
            throw new IllegalArgumentException("--column '" + columns + "': "
                    + (dim == 1 ? "give one column (a header name or a 1-based number)"
                                : "give two columns separated by a comma, e.g. 'x,y' or '1,2'"));
        }
        for (String p : parts) {
            if (allDigits(p) && p.chars().allMatch(ch -> ch == '0')) {
                throw new IllegalArgumentException("--column '" + columns + "': column numbers start at 1");
            }
        }
        return parts;
    }

    private static boolean allDigits(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    /** 0-based index for a 1-based column number string, or -1 when it is not a number. */
    private static int columnNumber(String s) {
        if (!allDigits(s)) {
            return -1;
        }
        if (s.length() > 9) {
            return Integer.MAX_VALUE - 1; // far beyond any real line; reported as missing
        }
        return Integer.parseInt(s) - 1;
    }

    /** Whether {@code b[s, e)} spells NaN or infinity (any case, optional sign). */
    private static boolean isNonFiniteWord(byte[] b, int s, int e) {
        if (s < e && (b[s] == '+' || b[s] == '-')) {
            s++;
        }
        String w = new String(b, s, e - s, StandardCharsets.ISO_8859_1).toLowerCase(java.util.Locale.ROOT);
        return w.equals("nan") || w.equals("inf") || w.equals("infinity");
    }

    /** Whether the text has a letter, underscore or non-ASCII byte: a plausible column name. */
    private static boolean looksLikeName(byte[] b, int s, int e) {
        for (int i = s; i < e; i++) {
            int c = b[i];
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c < 0) {
                return !isNonFiniteWord(b, s, e);
            }
        }
        return false;
    }

    // ------------------------------------------------------------------------------------------
    // Streaming state machine
    // ------------------------------------------------------------------------------------------

    private static final class Scanner {
        private final Path file;
        private final int dim;
        private final String[] wanted;
        private final Sink sink;

        private byte[] buf;
        private int[] fieldStart = new int[16];
        private int[] fieldEnd = new int[16];

        private final double[] xs = new double[BATCH];
        private final double[] ys;
        private final long[] lines = new long[BATCH];
        private int count;
        private long total;
        private long lineNo;

        /** Set once the first non-blank line has decided header / no header and the columns. */
        private boolean configured;
        private boolean header;
        private String[] headerNames;
        /** Data lines must have exactly {@code dim} fields (no explicit column choice). */
        private boolean exactFields;
        private int colX;
        private int colY;
        /** Fields a data line needs to reach every selected column. */
        private int needFields;

        Scanner(Path file, int dim, String[] wanted, Sink sink, int bufferSize) {
            this.file = file;
            this.dim = dim;
            this.wanted = wanted;
            this.sink = sink;
            this.buf = new byte[bufferSize];
            this.ys = dim == 2 ? new double[BATCH] : null;
        }

        long run(InputStream in) throws IOException, DataFormatException {
            int lim = 0;    // bytes of buf holding data
            int pos = 0;    // start of the current (incomplete) line
            int scan = 0;   // where the search for the next newline resumes
            boolean eof = false;
            while (true) {
                byte[] b = buf;
                for (int i = scan; i < lim; i++) {
                    if (b[i] == '\n') {
                        lineNo++;
                        line(pos, i);
                        pos = i + 1;
                    }
                }
                if (eof) {
                    if (pos < lim) { // last line without a newline
                        lineNo++;
                        line(pos, lim);
                    }
                    break;
                }
                int rest = lim - pos;
                if (pos > 0) {
                    System.arraycopy(b, pos, b, 0, rest);
                } else if (rest == b.length) {
                    // a single line fills the whole buffer: make it bigger
                    if (b.length >= Integer.MAX_VALUE / 2) {
                        throw new DataFormatException(file, lineNo + 1, "line is too long");
                    }
                    buf = b = Arrays.copyOf(b, b.length * 2);
                }
                pos = 0;
                lim = rest;
                scan = rest;
                int r = in.read(b, lim, b.length - lim);
                if (r < 0) {
                    eof = true;
                } else {
                    lim += r;
                }
            }
            if (count > 0) {
                sink.accept(xs, ys, lines, count);
                count = 0;
            }
            if (total == 0) {
                throw new DataFormatException(file, 0, header
                        ? "no data points (the file has a header but no data lines)"
                        : "no data points (the file is empty or holds only blank lines and comments)");
            }
            return total;
        }

        /** Handles the bytes {@code buf[s, e)} of line {@link #lineNo} (newline excluded). */
        private void line(int s, int e) throws DataFormatException {
            byte[] b = buf;
            if (lineNo == 1 && e - s >= 3 && b[s] == (byte) 0xEF && b[s + 1] == (byte) 0xBB && b[s + 2] == (byte) 0xBF) {
                s += 3; // UTF-8 byte-order mark
            }
            int nf = split(b, s, e);
            if (nf == 0) {
                return;
            }
            if (!configured) {
                configured = true;
                if (configure(b, nf)) {
                    return; // the header line holds no data
                }
            }
            if (exactFields) {
                if (nf != dim) {
                    throw wrongFieldCount(nf);
                }
            } else if (nf < needFields) {
                throw new DataFormatException(file, lineNo, "too few fields: the line has " + nf
                        + " but column " + needFields + " is selected");
            }
            int k = count;
            xs[k] = value(b, colX);
            if (ys != null) {
                ys[k] = value(b, colY);
            }
            lines[k] = lineNo;
            total++;
            if (++k == BATCH) {
                sink.accept(xs, ys, lines, k);
                k = 0;
            }
            count = k;
        }

        private DataFormatException wrongFieldCount(int nf) {
            String expected = dim == 1 ? "1 value" : "2 values";
            if (header) {
                return new DataFormatException(file, lineNo, "expected " + expected + " (the header names "
                        + dim + " columns), found " + nf + " fields");
            }
            return new DataFormatException(file, lineNo, "expected " + expected + " per line, found " + nf
                    + (nf > dim ? " fields (choose columns with --column)" : nf == 1 ? " field" : " fields"));
        }

        /**
         * Splits {@code b[s, e)} into fields, recorded in fieldStart/fieldEnd; returns their number.
         * A comment ends the line; a comma with no field before it yields an empty field.
         */
        private int split(byte[] b, int s, int e) {
            int n = 0;
            int i = s;
            boolean fieldBefore = false; // a field ended since the last comma
            boolean commaPending = false; // a comma awaits the field that follows it
            while (true) {
                while (i < e) {
                    byte c = b[i];
                    if (c != ' ' && c != '\t' && c != '\r' && c != '\f') {
                        break;
                    }
                    i++;
                }
                if (i >= e || b[i] == '#') {
                    if (commaPending) {
                        n = addField(n, i, i);
                    }
                    return n;
                }
                if (b[i] == ',') {
                    if (!fieldBefore) {
                        n = addField(n, i, i);
                    }
                    fieldBefore = false;
                    commaPending = true;
                    i++;
                    continue;
                }
                int start = i;
                while (i < e) {
                    byte c = b[i];
                    if (c == ',' || c == ' ' || c == '\t' || c == '\r' || c == '#' || c == '\f') {
                        break;
                    }
                    i++;
                }
                n = addField(n, start, i);
                fieldBefore = true;
                commaPending = false;
            }
        }

        private int addField(int n, int start, int end) {
            if (n == fieldStart.length) {
                fieldStart = Arrays.copyOf(fieldStart, 2 * n);
                fieldEnd = Arrays.copyOf(fieldEnd, 2 * n);
            }
            fieldStart[n] = start;
            fieldEnd[n] = end;
            return n + 1;
        }

        /** Parses field {@code f} of the current line as a finite number, or reports the line. */
        private double value(byte[] b, int f) throws DataFormatException {
            int s = fieldStart[f];
            int e = fieldEnd[f];
            double v = DecimalParser.parse(b, s, e);
            if (v - v == 0) { // finite
                return v;
            }
            if (s == e) {
                throw new DataFormatException(file, lineNo, "field " + (f + 1) + " is empty");
            }
            String text = quote(b, s, e);
            if (!Double.isNaN(v)) {
                throw new DataFormatException(file, lineNo, text + " is not a finite number (too large for a double)");
            }
            // same wording for words, NaN/infinity spellings and malformed numbers; callers
            // (and the CLI tests) match on "'<text>' is not a finite number"
            throw new DataFormatException(file, lineNo, text + " is not a finite number");
        }

        private static String quote(byte[] b, int s, int e) {
            String t = new String(b, s, Math.min(e - s, 4 * QUOTE_LIMIT), StandardCharsets.UTF_8);
            if (t.length() > QUOTE_LIMIT) {
                t = t.substring(0, QUOTE_LIMIT) + "...";
            }
            return "'" + t + "'";
        }

        /**
         * Decides, on the first non-blank line, whether it is a header and which fields to read.
         * Returns true when the line is a header (and so holds no data).
         */
        private boolean configure(byte[] b, int nf) throws DataFormatException {
            for (int f = 0; f < nf && !header; f++) {
                int s = fieldStart[f];
                int e = fieldEnd[f];
                header = Double.isNaN(DecimalParser.parse(b, s, e)) && looksLikeName(b, s, e);
            }
            if (header) {
                headerNames = new String[nf];
                for (int f = 0; f < nf; f++) {
                    headerNames[f] = headerName(b, fieldStart[f], fieldEnd[f]);
                }
            }
            if (wanted == null) {
                exactFields = true;
                colX = 0;
                colY = 1;
                needFields = dim;
                if (header && nf != dim) {
                    throw new DataFormatException(file, lineNo, "the header names " + nf + " columns ("
                            + listNames() + "); choose " + (dim == 1 ? "one with --column NAME" : "two with --column X,Y"));
                }
                return header;
            }
            int[] cols = new int[dim];
            for (int d = 0; d < dim; d++) {
                cols[d] = header ? resolveByHeader(wanted[d]) : resolveWithoutHeader(wanted[d]);
            }
            colX = cols[0];
            colY = dim == 2 ? cols[1] : 0;
            needFields = Math.max(colX, dim == 2 ? colY : 0) + 1;
            return header;
        }

        private int resolveByHeader(String name) throws DataFormatException {
            for (int i = 0; i < headerNames.length; i++) {
                if (headerNames[i].equals(name)) {
                    return i;
                }
            }
            int n = columnNumber(name);
            if (n < 0) {
                throw new DataFormatException(file, lineNo, "no column named '" + name + "'; the header names "
                        + listNames());
            }
            if (n >= headerNames.length) {
                throw new DataFormatException(file, lineNo, "there is no column " + name + ": the header names only "
                        + headerNames.length + " (" + listNames() + ")");
            }
            return n;
        }

        private int resolveWithoutHeader(String name) throws DataFormatException {
            int n = columnNumber(name);
            if (n < 0) {
                throw new DataFormatException(file, lineNo, "column '" + name + "' is chosen by name, but the file "
                        + "has no header line (this first line is data); choose columns by 1-based number");
            }
            return n;
        }

        private static String headerName(byte[] b, int s, int e) {
            if (e - s >= 2 && b[s] == '"' && b[e - 1] == '"') {
                s++;
                e--;
            }
            return new String(b, s, e - s, StandardCharsets.UTF_8);
        }

        private String listNames() {
            StringBuilder sb = new StringBuilder();
            int shown = Math.min(headerNames.length, 20);
            for (int i = 0; i < shown; i++) {
                if (i > 0) {
                    sb.append(", ");
                }
                sb.append(headerNames[i].isEmpty() ? "(unnamed)" : headerNames[i]);
            }
            if (shown < headerNames.length) {
                sb.append(", ... (").append(headerNames.length).append(" in all)");
            }
            return sb.toString();
        }
    }
}

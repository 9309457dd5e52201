package org.remcg.io;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;

/**
 * Splits lines into fields and turns them into points. It serves {@code read()} (one run over the
 * whole file), the look for the header before chunking ({@link #probe}: stops right after the first
 * non-blank line) and the chunks of {@code readChunks()} (one run per chunk, with the column layout
 * copied from the probe and {@link #lineNo} preset to the lines before the chunk).
 */
final class SampleScanner {
    /** Longest field text quoted in an error message. */
    private static final int QUOTE_LIMIT = 40;

    /** Bytes for the scanner: like {@code InputStream.read}, -1 at the end. */
    @FunctionalInterface
    interface Source {
        int read(byte[] b, int off, int len) throws IOException;
    }

    /**
     * Unwinds a scan that has nothing more to do: the probe once the first non-blank line has settled
     * the layout, or a chunk once a lower-numbered chunk has failed. Carries no stack trace.
     */
    static final class Stop extends RuntimeException {
        private static final long serialVersionUID = 1L;
        static final Stop INSTANCE = new Stop();

        private Stop() {
            super(null, null, false, false);
        }
    }

    static boolean allDigits(String s) {
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
    static int columnNumber(String s) {
        if (!allDigits(s)) {
            return -1;
        }
        if (s.length() > 9) {
            return Integer.MAX_VALUE - 1; // far beyond any real line; reported as missing
        }
        return Integer.parseInt(s) - 1;
    }

    /** Whether {@code b[s, e)} spells NaN or infinity (any case, optional sign). */
    static boolean isNonFiniteWord(byte[] b, int s, int e) {
        if (s < e && (b[s] == '+' || b[s] == '-')) {
            s++;
        }
        String w = new String(b, s, e - s, StandardCharsets.ISO_8859_1).toLowerCase(java.util.Locale.ROOT);
        return w.equals("nan") || w.equals("inf") || w.equals("infinity");
    }

    /** Whether the text has a letter, underscore or non-ASCII byte: a plausible column name. */
    static boolean looksLikeName(byte[] b, int s, int e) {
        for (int i = s; i < e; i++) {
            int c = b[i];
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c < 0) {
                return !isNonFiniteWord(b, s, e);
            }
        }
        return false;
    }

    private final Path file;
    private final int dim;
    private final String[] wanted;
    /** Receives the points of the current run. */
    SampleReader.Sink sink;

    byte[] buf;
    private int[] fieldStart = new int[16];
    private int[] fieldEnd = new int[16];

    private final double[] xs = new double[SampleReader.BATCH];
    private final double[] ys;
    private final long[] lines = new long[SampleReader.BATCH];
    private int count;
    private long total;
    /** Number of the line last started (absolute in the file). */
    long lineNo;

    /**
     * Stop, by throwing {@link Stop}, as soon as the first non-blank line has settled the layout
     * (no points are made). An exception rather than a flag keeps the per-line loop free of checks.
     */
    boolean probe;

    /** Set once the first non-blank line has decided header / no header and the columns. */
    boolean configured;
    boolean header;
    private String[] headerNames;
    /** Number of the header line, or 0 when there is none. */
    private long headerLine;
    /** Data lines must have exactly {@code dim} fields (no explicit column choice). */
    private boolean exactFields;
    private int colX;
    private int colY;
    /** Fields a data line needs to reach every selected column. */
    private int needFields;

    SampleScanner(Path file, int dim, String[] wanted, int bufferSize) {
        this.file = file;
        this.dim = dim;
        this.wanted = wanted;
        this.buf = new byte[bufferSize];
        this.ys = dim == 2 ? new double[SampleReader.BATCH] : null;
    }

    /** A scanner that starts with the layout {@code settled} found (header, columns). */
    SampleScanner(SampleScanner settled, int bufferSize) {
        this(settled.file, settled.dim, settled.wanted, bufferSize);
        configured = settled.configured;
        header = settled.header;
        headerNames = settled.headerNames;
        headerLine = settled.headerLine;
        exactFields = settled.exactFields;
        colX = settled.colX;
        colY = settled.colY;
        needFields = settled.needFields;
    }

    /**
     * Scans everything {@code in} delivers, continuing the line count from {@link #lineNo}, and
     * hands the points to {@link #sink}; returns how many there were.
     */
    long run(Source in) throws IOException, DataFormatException {
        count = 0;
        total = 0;
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
            int k = count;
            count = 0;
            sink.accept(xs, ys, lines, k);
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
            configure(b, nf);
            if (probe) {
                throw Stop.INSTANCE; // the layout is all the probe wanted
            }
        }
        if (lineNo == headerLine) {
            return; // the header line holds no data
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
        if (++k == SampleReader.BATCH) {
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
     * Decides, on the first non-blank line, whether it is a header (then {@link #headerLine} is set)
     * and which fields to read.
     */
    private void configure(byte[] b, int nf) throws DataFormatException {
        for (int f = 0; f < nf && !header; f++) {
            int s = fieldStart[f];
            int e = fieldEnd[f];
            header = Double.isNaN(DecimalParser.parse(b, s, e)) && looksLikeName(b, s, e);
        }
        if (header) {
            headerLine = lineNo;
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
            return;
        }
        int[] cols = new int[dim];
        for (int d = 0; d < dim; d++) {
            cols[d] = header ? resolveByHeader(wanted[d]) : resolveWithoutHeader(wanted[d]);
        }
        colX = cols[0];
        colY = dim == 2 ? cols[1] : 0;
        needFields = Math.max(colX, dim == 2 ? colY : 0) + 1;
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

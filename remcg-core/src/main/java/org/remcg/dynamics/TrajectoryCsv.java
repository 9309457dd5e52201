package org.remcg.dynamics;

import org.remcg.io.AtomicFiles;
import org.remcg.io.DataFormatException;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Trajectory text files: a header {@code t,x1,...,xd} optionally followed by {@code a1,...,ad}
 * (the fine drift), then one frame per line. Fields are separated by commas and/or blanks, so
 * NumPy's {@code savetxt} output with a {@code # t x1 ...} header line works as well. Blank lines
 * and lines starting with {@code #} after the header are skipped. Every value must be a finite
 * number and time must increase strictly; errors name the file and line.
 */
public final class TrajectoryCsv {
    private TrajectoryCsv() {
    }

    /** Reads a trajectory file. */
    public static Trajectory read(Path file) throws IOException, DataFormatException {
        BufferedReader in;
        try {
            in = Files.newBufferedReader(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new DataFormatException(file, 0, "no such file");
        }
        try (in) {
            String line;
            long lineNo = 0;
            String[] header = null;
            while ((line = in.readLine()) != null) {
                lineNo++;
                String s = line.strip();
                if (lineNo == 1 && s.startsWith("\uFEFF")) {
                    s = s.substring(1);
                }
                if (s.isEmpty()) {
                    continue;
                }
                if (s.startsWith("#")) {
                    s = s.substring(1).strip();
                    if (s.isEmpty() || !s.toLowerCase(java.util.Locale.ROOT).startsWith("t")) {
                        continue;
                    }
                }
                header = split(s);
                break;
            }
            if (header == null) {
                throw new DataFormatException(file, 0, "empty file: expected a header t,x1,...,xd[,a1,...,ad]");
            }
            int cols = header.length;
            if (!header[0].equalsIgnoreCase("t")) {
                throw new DataFormatException(file, lineNo, "the first column must be 't', got '" + header[0] + "'");
            }
            int d = 0;
            while (1 + d < cols && header[1 + d].equalsIgnoreCase("x" + (d + 1))) {
                d++;
            }
            if (d == 0) {
                throw new DataFormatException(file, lineNo, "expected columns x1,...,xd after t");
            }
            boolean withDrift = cols > 1 + d;
            if (withDrift) {
                if (cols != 1 + 2 * d) {
                    throw new DataFormatException(file, lineNo, "expected " + d + " drift columns a1..a" + d + " after x" + d + ", got " + (cols - 1 - d) + " more columns");
                }
                for (int k = 0; k < d; k++) {
                    if (!header[1 + d + k].equalsIgnoreCase("a" + (k + 1))) {
                        throw new DataFormatException(file, lineNo, "column " + (2 + d + k) + " must be 'a" + (k + 1) + "', got '" + header[1 + d + k] + "'");
                    }
                }
            }
            double[] t = new double[1024];
            double[] x = new double[1024 * d];
            double[] a = withDrift ? new double[1024 * d] : null;
            int n = 0;
            while ((line = in.readLine()) != null) {
                lineNo++;
                String s = line.strip();
                if (s.isEmpty() || s.startsWith("#")) {
                    continue;
                }
                String[] f = split(s);
                if (f.length != cols) {
                    throw new DataFormatException(file, lineNo, "expected " + cols + " fields, got " + f.length);
                }
                if (n == t.length) {
                    int cap = t.length * 2;
                    t = Arrays.copyOf(t, cap);
                    x = Arrays.copyOf(x, cap * d);
                    if (a != null) {
                        a = Arrays.copyOf(a, cap * d);
                    }
                }
                t[n] = number(file, lineNo, f[0], "t");
                if (n > 0 && !(t[n] > t[n - 1])) {
                    throw new DataFormatException(file, lineNo, "time step " + (t[n] - t[n - 1]) + " is not positive (t = " + t[n]
                            + " after " + t[n - 1] + ")");
                }
                for (int k = 0; k < d; k++) {
                    x[n * d + k] = number(file, lineNo, f[1 + k], "x" + (k + 1));
                    if (a != null) {
                        a[n * d + k] = number(file, lineNo, f[1 + d + k], "a" + (k + 1));
                    }
                }
                n++;
            }
            if (n < 2) {
                throw new DataFormatException(file, 0, "a trajectory needs at least 2 frames, got " + n);
            }
            return new Trajectory(file.toString(), d, Arrays.copyOf(t, n), Arrays.copyOf(x, n * d), a == null ? null : Arrays.copyOf(a, n * d));
        }
    }

    /** Splits at commas (with optional blanks around them) or runs of blanks; ",," gives an empty field. */
    static String[] split(String s) {
        java.util.ArrayList<String> out = new java.util.ArrayList<>(8);
        int n = s.length();
        int i = 0;
        int start = 0;
        while (i <= n) {
            if (i == n) {
                out.add(s.substring(start, i));
                break;
            }
            char c = s.charAt(i);
            if (c == ',' || c == ' ' || c == '\t') {
                int end = i;
                boolean comma = c == ',';
                int j = i + 1;
                while (j < n) {
                    char q = s.charAt(j);
                    if (q == ' ' || q == '\t') {
                        j++;
                    } else if (q == ',' && !comma) {
                        comma = true;
                        j++;
                    } else {
                        break;
                    }
                }
                out.add(s.substring(start, end));
                start = j;
                i = j;
                if (j == n && comma) {
                    out.add("");
                    break;
                }
                continue;
            }
            i++;
        }
        return out.toArray(new String[0]);
    }

    private static double number(Path file, long line, String s, String col) throws DataFormatException {
        if (s.isEmpty()) {
            throw new DataFormatException(file, line, "missing value in column " + col);
        }
        double v;
        try {
            v = Double.parseDouble(s);
        } catch (NumberFormatException e) {
            if (s.matches("(?i)[+-]?(nan|inf|infinity)")) {
                throw new DataFormatException(file, line, "'" + s + "' in column " + col + " is not a finite number");
            }
            throw new DataFormatException(file, line, "'" + s + "' in column " + col + " is not a number");
        }
        if (!Double.isFinite(v)) {
            throw new DataFormatException(file, line, "'" + s + "' in column " + col + " is not a finite number");
        }
        return v;
    }

    /** Writes a trajectory (with its drift columns when known), atomically. */
    public static void write(Path file, Trajectory tr) throws IOException {
        int d = tr.dimension();
        AtomicFiles.write(file, o -> {
            BufferedWriter w = new BufferedWriter(new OutputStreamWriter(o, StandardCharsets.UTF_8), 1 << 16);
            StringBuilder sb = new StringBuilder("t");
            for (int k = 1; k <= d; k++) {
                sb.append(",x").append(k);
            }
            if (tr.hasDrift()) {
                for (int k = 1; k <= d; k++) {
                    sb.append(",a").append(k);
                }
            }
            w.write(sb.append('\n').toString());
            double[] t = tr.times();
            double[] x = tr.positions();
            double[] a = tr.drifts();
            for (int i = 0; i < tr.frames(); i++) {
                sb.setLength(0);
                sb.append(t[i]);
                for (int k = 0; k < d; k++) {
                    sb.append(',').append(x[i * d + k]);
                }
                if (a != null) {
                    for (int k = 0; k < d; k++) {
                        sb.append(',').append(a[i * d + k]);
                    }
                }
                w.write(sb.append('\n').toString());
            }
            w.flush();
        });
    }
}

package org.remcg.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.remcg.testing.Interrupter;

/**
 * {@link SampleReader#readChunks}: whatever the chunk length and thread count, the chunks put
 * together must hold exactly what {@link SampleReader#read} delivers, and failures must be the ones
 * {@code read()} reports.
 */
class ParallelReadTest extends FileTesting {

    private static final long[] NONE = new long[0];
    private static final int[] NO_BATCHES = new int[0];
    private static final int[] THREADS = {1, 2, 4};

    /** Keeps every point it is given (as raw bits), its line numbers and the batch sizes. */
    private static final class Keep implements SampleReader.Sink {
        final int dim;
        long[] x = NONE;
        long[] y = NONE;
        long[] lines = NONE;
        int n;
        int[] batches = NO_BATCHES;
        int calls;
        /** The thread that delivered the points; {@code manyThreads} if there was more than one. */
        Thread thread;
        boolean manyThreads;

        Keep(int dim) {
            this.dim = dim;
        }

        @Override
        public void accept(double[] xs, double[] ys, long[] ls, int count) throws DataFormatException {
            if (count < 1 || count > SampleReader.BATCH) {
                throw new AssertionError("batch of " + count);
            }
            if ((ys == null) != (dim == 1)) {
                throw new AssertionError("ys must be null exactly for dimension 1");
            }
            if (n + count > x.length) {
                int cap = Math.max(4, Math.max(n + count, 2 * x.length));
                x = Arrays.copyOf(x, cap);
                y = dim == 2 ? Arrays.copyOf(y, cap) : y;
                lines = Arrays.copyOf(lines, cap);
            }
            for (int i = 0; i < count; i++) {
                x[n + i] = Double.doubleToRawLongBits(xs[i]);
                if (ys != null) {
                    y[n + i] = Double.doubleToRawLongBits(ys[i]);
                }
                lines[n + i] = ls[i];
            }
            n += count;
            if (calls == batches.length) {
                batches = Arrays.copyOf(batches, Math.max(4, 2 * calls));
            }
            batches[calls++] = count;
            Thread t = Thread.currentThread();
            manyThreads |= thread != null && thread != t;
            thread = t;
        }

        int[] batchSizes() {
            return Arrays.copyOf(batches, calls);
        }
    }

    /** Everything delivered, in order, plus the number of points of each chunk. */
    private static final class Delivered {
        final long[] x;
        final long[] y;
        final long[] lines;
        final int[] perChunk;

        Delivered(List<Keep> parts) {
            int total = 0;
            for (Keep k : parts) {
                total += k.n;
            }
            x = new long[total];
            y = new long[parts.isEmpty() || parts.get(0).dim == 1 ? 0 : total];
            lines = new long[total];
            perChunk = new int[parts.size()];
            int at = 0;
            for (int c = 0; c < parts.size(); c++) {
                Keep k = parts.get(c);
                System.arraycopy(k.x, 0, x, at, k.n);
                if (y.length > 0) {
                    System.arraycopy(k.y, 0, y, at, k.n);
                }
                System.arraycopy(k.lines, 0, lines, at, k.n);
                perChunk[c] = k.n;
                at += k.n;
            }
        }

        void assertSameAs(Delivered expected, String what) {
            assertEquals(expected.x.length, x.length, what + ": number of points");
            assertArrayEquals(expected.lines, lines, what + ": line numbers");
            assertArrayEquals(expected.x, x, what + ": x bits");
            assertArrayEquals(expected.y, y, what + ": y bits");
        }
    }

    private static Keep sequential(Path file, int dim, String columns) throws IOException, DataFormatException {
        Keep k = new Keep(dim);
        long n = SampleReader.read(file, dim, columns, k);
        assertEquals(n, k.n);
        return k;
    }

    private static List<Keep> chunked(Path file, int dim, String columns, long chunk, int threads)
            throws IOException, DataFormatException {
        List<Keep> sinks = SampleReader.readChunks(file, dim, columns, chunk, threads, c -> new Keep(dim));
        long size = Files.size(file);
        assertEquals(size / chunk + (size % chunk == 0 ? 0 : 1), sinks.size(), "one sink per chunk");
        return sinks;
    }

    /** The outcome of a read as text: the points, or the failure. */
    private static String outcome(Path file, int dim, String columns, long chunk, int threads) {
        try {
            List<Keep> parts = chunk == 0 ? List.of(sequential(file, dim, columns))
                    : chunked(file, dim, columns, chunk, threads);
            Delivered d = new Delivered(parts);
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < d.x.length; i++) {
                sb.append(d.lines[i]).append(':').append(Double.longBitsToDouble(d.x[i]));
                if (d.y.length > 0) {
                    sb.append(',').append(Double.longBitsToDouble(d.y[i]));
                }
                sb.append(' ');
            }
            return sb.toString();
        } catch (DataFormatException e) {
            return e.getClass().getSimpleName() + " " + e.getMessage() + " @" + e.line();
        } catch (IOException | RuntimeException e) {
            return e.getClass().getSimpleName() + " " + e.getMessage();
        }
    }

    // ------------------------------------------------------------------------------------------
    // Random files
    // ------------------------------------------------------------------------------------------

    /** A random data file as lines without their endings, plus the chosen line endings. */
    private static final class Generated {
        final List<String> lines = new ArrayList<>();
        final List<String> endings = new ArrayList<>();
        final boolean bom;
        final boolean finalNewline;

        Generated(boolean bom, boolean finalNewline) {
            this.bom = bom;
            this.finalNewline = finalNewline;
        }

        byte[] bytes() {
            StringBuilder sb = new StringBuilder(lines.size() * 24);
            if (bom) {
                sb.append('\uFEFF');
            }
            for (int i = 0; i < lines.size(); i++) {
                sb.append(lines.get(i));
                if (i < lines.size() - 1 || finalNewline) {
                    sb.append(endings.get(i));
                }
            }
            return sb.toString().getBytes(StandardCharsets.UTF_8);
        }

        /** Byte offset at which line {@code index} (0-based) starts. */
        long offsetOf(int index) {
            long at = bom ? 3 : 0;
            for (int i = 0; i < index; i++) {
                at += lines.get(i).getBytes(StandardCharsets.UTF_8).length + endings.get(i).length();
            }
            return at;
        }
    }

    private static String number(Random rnd) {
        double v = rnd.nextGaussian() * Math.pow(10, rnd.nextInt(13) - 6);
        switch (rnd.nextInt(6)) {
            case 0:
                return String.format(Locale.ROOT, "%.6e", v);
            case 1:
                return Integer.toString(rnd.nextInt(2001) - 1000);
            case 2:
                return String.format(Locale.ROOT, "%.3f", v);
            case 3:
                return String.format(Locale.ROOT, "%.17g", v);
            default:
                return Double.toString(v);
        }
    }

    private static String separator(Random rnd) {
        switch (rnd.nextInt(5)) {
            case 0:
                return ",";
            case 1:
                return "\t";
            case 2:
                return " , ";
            case 3:
                return "  ";
            default:
                return " ";
        }
    }

    /**
     * Random file: comments (a few very long), blank lines, mixed line endings and separators, an
     * optional header preceded by comments; {@code fields} numbers per data line.
     */
    private static Generated generate(long seed, int count, int fields, String header, boolean bom, boolean finalNewline) {
        Random rnd = new Random(seed);
        Generated g = new Generated(bom, finalNewline);
        if (header != null) {
            g.lines.add("# generated with seed " + seed);
            g.lines.add("");
            g.lines.add(header);
        }
        while (g.lines.size() < count) {
            int kind = rnd.nextInt(100);
            if (kind < 3) {
                g.lines.add((rnd.nextBoolean() ? "  " : "") + "# comment " + rnd.nextInt());
            } else if (kind < 6) {
                g.lines.add(rnd.nextBoolean() ? "" : " \t ");
            } else if (kind == 6 && rnd.nextInt(40) == 0) {
                g.lines.add("#" + "~".repeat(12_000 + rnd.nextInt(30_000))); // longer than any read buffer start
            } else {
                StringBuilder sb = new StringBuilder();
                if (rnd.nextInt(10) == 0) {
                    sb.append(' ');
                }
                for (int f = 0; f < fields; f++) {
                    if (f > 0) {
                        sb.append(separator(rnd));
                    }
                    sb.append(number(rnd));
                }
                if (rnd.nextInt(15) == 0) {
                    sb.append(rnd.nextBoolean() ? " # note" : "#glued");
                }
                g.lines.add(sb.toString());
            }
        }
        for (int i = 0; i < g.lines.size(); i++) {
            int e = rnd.nextInt(10);
            g.endings.add(e < 3 ? "\r\n" : "\n");
        }
        return g;
    }

    private Path save(String name, Generated g) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, g.bytes());
        return p;
    }

    private void assertChunksMatchRead(Path p, int dim, String columns, long[] chunkSizes) throws Exception {
        Keep whole = sequential(p, dim, columns);
        Delivered expected = new Delivered(List.of(whole));
        assertTrue(expected.x.length > 150_000, "enough points: " + expected.x.length);
        for (long chunk : chunkSizes) {
            int[] perChunk = null;
            for (int threads : THREADS) {
                String what = p.getFileName() + " chunk " + chunk + " threads " + threads;
                List<Keep> sinks = chunked(p, dim, columns, chunk, threads);
                Delivered got = new Delivered(sinks);
                got.assertSameAs(expected, what);
                if (perChunk == null) {
                    perChunk = got.perChunk;
                } else {
                    assertArrayEquals(perChunk, got.perChunk, what + ": chunks must not depend on the thread count");
                }
                if (sinks.size() == 1) {
                    assertArrayEquals(whole.batchSizes(), sinks.get(0).batchSizes(), what + ": batches");
                }
                for (Keep k : sinks) {
                    for (int i = 1; i < k.n; i++) {
                        assertTrue(k.lines[i - 1] < k.lines[i], what);
                    }
                    assertFalse(k.manyThreads, what + ": a chunk is parsed by one thread");
                }
            }
        }
    }

    private static final long[] ALL_CHUNKS = {7, 100, 4096, 65_536, 1 << 20, 1L << 40};

    @Test
    void oneDimensionalWithHeaderBomAndCrlf() throws Exception {
        Path p = save("one.csv", generate(101, 200_000, 1, "value", true, true));
        assertChunksMatchRead(p, 1, null, ALL_CHUNKS);
    }

    @Test
    void twoDimensionalWithoutHeaderOrFinalNewline() throws Exception {
        Path p = save("two.txt", generate(202, 200_000, 2, null, false, false));
        assertChunksMatchRead(p, 2, null, ALL_CHUNKS);
    }

    @Test
    void columnsChosenByNameFromAWiderFile() throws Exception {
        Generated g = generate(303, 200_000, 3, "id  \"a\"  b", false, true);
        Path p = save("wide.txt", g);
        assertChunksMatchRead(p, 2, "b,a", new long[] {100, 65_536, 1 << 20});
        assertChunksMatchRead(p, 1, "3", new long[] {7, 1 << 20});
    }

    @Test
    void mergedPerChunkSumsDoNotDependOnThreads() throws Exception {
        Path p = save("sum.txt", generate(404, 200_000, 1, null, false, true));
        final class Sum implements SampleReader.Sink {
            double s;

            @Override
            public void accept(double[] xs, double[] ys, long[] lines, int count) {
                for (int i = 0; i < count; i++) {
                    s += xs[i];
                }
            }
        }
        for (long chunk : new long[] {1000, 1 << 16, 1 << 20}) {
            Long bits = null;
            for (int threads : THREADS) {
                double total = 0;
                for (Sum s : SampleReader.readChunks(p, 1, null, chunk, threads, c -> new Sum())) {
                    total += s.s;
                }
                if (bits == null) {
                    bits = Double.doubleToRawLongBits(total);
                } else {
                    assertEquals(bits, Double.doubleToRawLongBits(total), "chunk " + chunk + " threads " + threads);
                }
            }
        }
    }

    // ------------------------------------------------------------------------------------------
    // Small files, every chunk length
    // ------------------------------------------------------------------------------------------

    @Test
    void smallFilesGiveTheSameOutcomeForEveryChunkLength() throws Exception {
        Object[][] cases = {
            {"1\n-2.5\n+3e2\n.5\n7.\n-0\n", 1, null},
            {"# a comment\n\n   \t \n1.5   # trailing\n   # indented\n2.5#glued\n\n3.5\n", 1, null},
            {"1,2\n3 4\n5\t6\n7 , 8\n 9,\t10 \n11  \t 12\n", 2, null},
            {"# comment\r\nx,y\r\n1,2\r\n\r\n3,4 # note\r\n5,6\r\n", 2, null},
            {"1\n2", 1, null},
            {"1\r\n2\r", 1, null},
            {"7,8", 2, null},
            {"\uFEFFx\n1\n2\n", 1, null},
            {"\uFEFF3\n4\n", 1, null},
            {"\uFEFF\r\n\uFEFF3\n", 1, null},
            {"# made by a test\nid,energy,dist\n1,-3.5,0.25\n2,-4.5,0.5\n", 2, "dist,energy"},
            {"id energy dist\n1 -3.5 0.25\n2 -4.5 0.5\n", 2, "energy,3"},
            {"\"a\",\"b\"\n1,2\n", 1, "b"},
            {"1 10 100\n2 20 200 2000\n", 2, "3,1"},
            {"a,b,c\n1,2,3\n4,,6\n", 1, "c"},
            // failures
            {"\n# c\na,b,c\n1,2,3\n", 1, null},
            {"x\n1\n", 2, null},
            {"a,b\n1,2\n", 1, "c"},
            {"# comment\n1 2\n3 4\n", 1, "x"},
            {"1\n2\n# c\n3 4\n5\n", 1, null},
            {"1,2\n3,4\n5\n", 2, null},
            {"a,b,c\n1,2,3\n4,5\n", 1, "c"},
            {"1,2\n3,,4\n", 2, null},
            {"a,b,c\n1,2,3\n4,,6\n", 1, "b"},
            {"1\n2\n# comment\nabc\n5\n", 1, null},
            {"nan\n1\n", 1, null},
            {"1 inf\n1 2\n", 2, null},
            {"0.5\n1e400\n", 1, null},
            {"1\n2\nx\n3\ny\n", 1, null},
            // no data at all
            {"", 1, null},
            {"\n\n", 1, null},
            {"# only\n  # comments\n", 1, null},
            {"x\n", 1, null},
            {"a,b\n# nothing\n", 2, null},
            {"\uFEFF", 1, null},
            {"\uFEFFx\r\n\r\n", 1, null},
        };
        int n = 0;
        for (Object[] c : cases) {
            Path p = write("small" + (n++) + ".txt", (String) c[0]);
            int dim = (Integer) c[1];
            String columns = (String) c[2];
            String expected = outcome(p, dim, columns, 0, 1);
            long size = Files.size(p);
            for (long chunk = 1; chunk <= size + 2; chunk++) {
                for (int threads : new int[] {1, 2, 3}) {
                    assertEquals(expected, outcome(p, dim, columns, chunk, threads),
                            "'" + c[0] + "' chunk " + chunk + " threads " + threads);
                }
            }
        }
    }

    @Test
    void linesLongerThanChunksAndBuffers() throws Exception {
        StringBuilder sb = new StringBuilder("# " + "z".repeat(50_000) + "\n");
        sb.append("a").append(",pad".repeat(5000)).append(",b\n");
        Random rnd = new Random(7);
        for (int i = 0; i < 300; i++) {
            sb.append(rnd.nextGaussian()).append(",0".repeat(rnd.nextInt(6000))).append(i % 3 == 0 ? "\r\n" : "\n");
        }
        Path p = write("long.csv", sb.toString());
        Delivered expected = new Delivered(List.of(sequential(p, 1, "a")));
        for (long chunk : new long[] {1, 7, 100, 5000, 1 << 16, 1 << 22}) {
            for (int threads : THREADS) {
                new Delivered(chunked(p, 1, "a", chunk, threads)).assertSameAs(expected, "chunk " + chunk);
            }
        }
    }

    // ------------------------------------------------------------------------------------------
    // Errors
    // ------------------------------------------------------------------------------------------

    private static DataFormatException readFailure(Path p, int dim, String columns) {
        return assertThrows(DataFormatException.class, () -> SampleReader.read(p, dim, columns, new Keep(dim)));
    }

    private static DataFormatException chunkFailure(Path p, int dim, String columns, long chunk, int threads,
            SampleReader.SinkFactory<? extends SampleReader.Sink> factory) {
        return assertThrows(DataFormatException.class,
                () -> SampleReader.readChunks(p, dim, columns, chunk, threads, factory));
    }

    @Test
    void errorInALateChunkReportsTheFileLine() throws Exception {
        Generated g = generate(505, 200_000, 2, null, false, true);
        int bad = 190_000;
        while (g.lines.get(bad).isBlank() || g.lines.get(bad).trim().startsWith("#")) {
            bad++;
        }
        g.lines.set(bad, "1.5 abc");
        Path p = save("late.txt", g);
        DataFormatException expected = readFailure(p, 2, null);
        assertEquals(bad + 1, expected.line());
        assertTrue(expected.getMessage().endsWith("late.txt:" + (bad + 1) + ": 'abc' is not a finite number"),
                expected.getMessage());
        for (long chunk : new long[] {100, 65_536, 1 << 20}) {
            for (int threads : THREADS) {
                DataFormatException e = chunkFailure(p, 2, null, chunk, threads, c -> new Keep(2));
                assertEquals(expected.getMessage(), e.getMessage(), "chunk " + chunk + " threads " + threads);
                assertEquals(expected.line(), e.line());
                assertEquals(p, e.file());
            }
        }
    }

    /** Index of the first data line starting at or after byte {@code offset}. */
    private static int dataLineAtOrAfter(Generated g, long offset) {
        long at = g.bom ? 3 : 0;
        for (int i = 0; i < g.lines.size(); i++) {
            String s = g.lines.get(i).trim();
            if (at >= offset && !s.isEmpty() && !s.startsWith("#")) {
                return i;
            }
            at += g.lines.get(i).getBytes(StandardCharsets.UTF_8).length + g.endings.get(i).length();
        }
        throw new AssertionError("no line at " + offset);
    }

    @Test
    void ofTwoErrorsTheEarlierIsReportedEvenWhenFoundLater() throws Exception {
        int mib = 1 << 20;
        Generated g = generate(606, 200_000, 1, null, false, true);
        assertTrue(g.offsetOf(g.lines.size() - 1) > 4L * mib, "the file must span five chunks");
        int early = dataLineAtOrAfter(g, mib + 3 * mib / 4); // late in chunk 1, after its first batch
        int late = dataLineAtOrAfter(g, 4L * mib + 1000);    // in chunk 4
        g.lines.set(early, "oops");
        g.lines.set(late, "1e999");
        Path p = save("two-errors.txt", g);
        DataFormatException expected = readFailure(p, 1, null);
        assertEquals(early + 1, expected.line());
        for (int threads : THREADS) {
            // chunk 1 stalls in its first batch, so other threads reach the error in chunk 4 first
            boolean[] stalled = {false};
            DataFormatException e = chunkFailure(p, 1, null, mib, threads, c -> c != 1 ? new Keep(1) : (xs, ys, ls, n) -> {
                if (!stalled[0]) {
                    stalled[0] = true;
                    try {
                        Thread.sleep(300);
                    } catch (InterruptedException ie) {
                        Thread.currentThread().interrupt();
                    }
                }
            });
            assertEquals(expected.getMessage(), e.getMessage(), "threads " + threads);
        }
        for (long chunk : new long[] {1000, 65_536}) {
            for (int threads : THREADS) {
                assertEquals(expected.getMessage(), chunkFailure(p, 1, null, chunk, threads, c -> new Keep(1)).getMessage());
            }
        }
    }

    @Test
    void noDataAndUnreadableFilesFailAsInRead() throws Exception {
        String[] contents = {"", "\n\n", "# only\n  # comments\n", "\r\n# c\r\n\t\r\n", "x\n", "value\n# nothing\n\n",
            "\uFEFF", "\uFEFFname"};
        for (String content : contents) {
            Path p = write("empty.txt", content);
            DataFormatException expected = readFailure(p, 1, null);
            assertEquals(0, expected.line());
            assertTrue(expected.problem().startsWith("no data points"), expected.getMessage());
            for (long chunk : new long[] {1, 3, 1 << 20}) {
                for (int threads : THREADS) {
                    DataFormatException e = chunkFailure(p, 1, null, chunk, threads, c -> new Keep(1));
                    assertEquals(expected.getMessage(), e.getMessage(), "'" + content + "'");
                    assertEquals(0, e.line());
                }
            }
        }
        Path absent = dir.resolve("absent.txt");
        DataFormatException missing = chunkFailure(absent, 1, null, 100, 2, c -> new Keep(1));
        assertEquals(readFailure(absent, 1, null).getMessage(), missing.getMessage());
        assertEquals(absent + ": cannot read: no such file", missing.getMessage());
        assertEquals(readFailure(dir, 1, null).getMessage(), chunkFailure(dir, 1, null, 100, 2, c -> new Keep(1)).getMessage());
    }

    @Test
    void badArgumentsAreRejected() throws Exception {
        Path p = write("args.txt", "1 2\n");
        SampleReader.SinkFactory<Keep> f = c -> new Keep(1);
        assertThrows(IllegalArgumentException.class, () -> SampleReader.readChunks(p, 1, null, 0, 1, f));
        assertThrows(IllegalArgumentException.class, () -> SampleReader.readChunks(p, 1, null, 100, 0, f));
        assertThrows(IllegalArgumentException.class, () -> SampleReader.readChunks(p, 3, null, 100, 1, f));
        assertThrows(IllegalArgumentException.class, () -> SampleReader.readChunks(p, 2, "1", 100, 1, f));
        assertThrows(IllegalArgumentException.class, () -> SampleReader.readChunks(p, 1, "0", 100, 1, f));
        assertThrows(NullPointerException.class, () -> SampleReader.readChunks(p, 1, null, 100, 1, c -> null));
    }

    // ------------------------------------------------------------------------------------------
    // Sinks and threads
    // ------------------------------------------------------------------------------------------

    @Test
    void sinkExceptionsPropagateUnwrapped() throws Exception {
        Path p = save("sink.txt", generate(707, 50_000, 1, null, false, true));
        DataFormatException mine = new DataFormatException(p, 12, "from the sink");
        IllegalStateException unchecked = new IllegalStateException("unchecked from the sink");
        for (int threads : THREADS) {
            for (int failing : new int[] {0, 3}) {
                SampleReader.SinkFactory<SampleReader.Sink> throwing = c -> c != failing ? new Keep(1) : (xs, ys, ls, n) -> {
                    throw mine;
                };
                assertSame(mine, chunkFailure(p, 1, null, 65_536, threads, throwing));
                SampleReader.SinkFactory<SampleReader.Sink> throwingUnchecked = c -> c != failing ? new Keep(1)
                        : (xs, ys, ls, n) -> {
                            throw unchecked;
                        };
                assertSame(unchecked, assertThrows(IllegalStateException.class,
                        () -> SampleReader.readChunks(p, 1, null, 65_536, threads, throwingUnchecked)));
            }
        }
    }

    @Test
    void aSinkFailureAndAFormatErrorAreRankedByChunk() throws Exception {
        Generated g = generate(808, 60_000, 1, null, false, true);
        int badLine = dataLineAtOrAfter(g, 5 * 65_536 + 100); // in chunk 5
        g.lines.set(badLine, "x1");
        Path p = save("ranked.txt", g);
        DataFormatException format = readFailure(p, 1, null);
        DataFormatException mine = new DataFormatException(p, 1, "sink says no");
        for (int threads : THREADS) {
            // the sink of chunk 2 fails before chunk 5's bad line: the sink wins
            assertSame(mine, chunkFailure(p, 1, null, 65_536, threads, c -> c != 2 ? new Keep(1) : (xs, ys, ls, n) -> {
                throw mine;
            }));
            // the sink of chunk 7 would fail after it: the bad line wins
            DataFormatException e = chunkFailure(p, 1, null, 65_536, threads, c -> c != 7 ? new Keep(1) : (xs, ys, ls, n) -> {
                throw mine;
            });
            assertEquals(format.getMessage(), e.getMessage());
        }
    }

    @Test
    void oneThreadRunsOnTheCallerAndPoolThreadsAreDaemonsThatEnd() throws Exception {
        Path p = save("threads.txt", generate(909, 100_000, 1, null, false, true));
        List<Keep> solo = SampleReader.readChunks(p, 1, null, 65_536, 1, c -> new Keep(1));
        for (Keep k : solo) {
            assertTrue(k.thread == null || k.thread == Thread.currentThread());
        }
        List<Keep> pooled = SampleReader.readChunks(p, 1, null, 65_536, 2, c -> new Keep(1));
        ConcurrentHashMap<Thread, Boolean> used = new ConcurrentHashMap<>();
        for (Keep k : pooled) {
            if (k.thread != null) {
                used.put(k.thread, true);
            }
        }
        assertFalse(used.containsKey(Thread.currentThread()));
        assertTrue(used.size() <= 2, "at most two threads: " + used.keySet());
        for (Thread t : used.keySet()) {
            assertTrue(t.isDaemon(), t.getName());
            t.join(10_000);
            assertFalse(t.isAlive(), t.getName() + " still runs after readChunks returned");
        }
    }

    @Test
    void interruptingTheCallerStopsTheRead() throws Exception {
        Path p = save("interrupt.txt", generate(1001, 100_000, 1, null, false, true));
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger blocked = new AtomicInteger();
        List<Thread> workers = new ArrayList<>();
        // interrupts this thread 50 ms after a worker blocks
        Thread interrupter = Interrupter.interruptCallerAfter(() -> {
            while (blocked.get() == 0) {
                Thread.sleep(5);
            }
        }, 50);
        try {
            assertThrows(InterruptedIOException.class, () -> SampleReader.readChunks(p, 1, null, 65_536, 2,
                    c -> (xs, ys, ls, n) -> {
                        synchronized (workers) {
                            workers.add(Thread.currentThread());
                        }
                        blocked.incrementAndGet();
                        try {
                            if (!release.await(20, TimeUnit.SECONDS)) {
                                fail("never released");
                            }
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }));
            assertTrue(Thread.interrupted(), "the interrupt status is kept");
        } finally {
            Thread.interrupted();
            release.countDown();
            interrupter.join();
        }
        synchronized (workers) {
            for (Thread t : workers) {
                t.join(10_000);
                assertFalse(t.isAlive(), t.getName());
            }
        }
    }
}

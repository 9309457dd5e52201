package org.remcg.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.remcg.io.IoTesting.assertMessageContains;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SampleReaderTest extends FileTesting {

    /** Everything a read delivered, gathered from the batches. */
    private static final class Collected {
        final List<Double> xs = new ArrayList<>();
        final List<Double> ys = new ArrayList<>();
        final List<Long> lines = new ArrayList<>();
        final List<Integer> batchSizes = new ArrayList<>();
        boolean sawNullYs;
        long returned;

        double[] x() {
            return xs.stream().mapToDouble(Double::doubleValue).toArray();
        }

        double[] y() {
            return ys.stream().mapToDouble(Double::doubleValue).toArray();
        }

        long[] lineNumbers() {
            return lines.stream().mapToLong(Long::longValue).toArray();
        }
    }

    private static Collected read(Path file, int dim, String columns) throws IOException, DataFormatException {
        return read(file, dim, columns, SampleReader.DEFAULT_BUFFER);
    }

    private static Collected read(Path file, int dim, String columns, int buffer) throws IOException, DataFormatException {
        Collected c = new Collected();
        c.returned = SampleReader.read(file, dim, columns, (xs, ys, lines, count) -> {
            c.batchSizes.add(count);
            if (ys == null) {
                c.sawNullYs = true;
            }
            for (int i = 0; i < count; i++) {
                c.xs.add(xs[i]);
                if (ys != null) {
                    c.ys.add(ys[i]);
                }
                c.lines.add(lines[i]);
            }
        }, buffer);
        assertEquals(c.xs.size(), c.returned);
        return c;
    }

    private DataFormatException failure(String name, String content, int dim, String columns) throws IOException {
        Path p = write(name, content);
        return assertThrows(DataFormatException.class, () -> read(p, dim, columns));
    }

    private static void assertLocated(DataFormatException e, String name, long line) {
        assertTrue(e.getMessage().contains(name + ":" + line + ":"), () -> "message lacks " + name + ":" + line + ": -> " + e.getMessage());
        assertEquals(line, e.line());
    }

    // ------------------------------------------------------------------------------------------
    // Basic layout
    // ------------------------------------------------------------------------------------------

    @Test
    void readsOneValuePerLine() throws Exception {
        Collected c = read(write("a.txt", "1\n-2.5\n+3e2\n.5\n7.\n-0\n"), 1, null);
        assertEquals(6, c.returned);
        assertArrayEquals(new double[] {1, -2.5, 300, 0.5, 7, -0.0}, c.x());
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(c.x()[5]));
        assertArrayEquals(new long[] {1, 2, 3, 4, 5, 6}, c.lineNumbers());
        assertTrue(c.sawNullYs, "ys must be null for dimension 1");
    }

    @Test
    void skipsCommentsAndBlankLinesButKeepsLineNumbers() throws Exception {
        String text = "# a comment\n"
                + "\n"
                + "   \t \n"
                + "1.5   # trailing comment\n"
                + "   # indented comment\n"
                + "2.5#glued comment\n"
                + "\n"
                + "3.5\n";
        Collected c = read(write("c.txt", text), 1, null);
        assertArrayEquals(new double[] {1.5, 2.5, 3.5}, c.x());
        assertArrayEquals(new long[] {4, 6, 8}, c.lineNumbers());
    }

    @Test
    void acceptsCommasAndWhitespaceAsSeparators() throws Exception {
        String text = "1,2\n3 4\n5\t6\n7 , 8\n 9,\t10 \n11  \t 12\n";
        Collected c = read(write("sep.txt", text), 2, null);
        assertArrayEquals(new double[] {1, 3, 5, 7, 9, 11}, c.x());
        assertArrayEquals(new double[] {2, 4, 6, 8, 10, 12}, c.y());
        assertTrue(!c.sawNullYs);
    }

    @Test
    void windowsLineEndings() throws Exception {
        String text = "# comment\r\nx,y\r\n1,2\r\n\r\n3,4 # note\r\n5,6\r\n";
        Collected c = read(write("crlf.csv", text), 2, null);
        assertArrayEquals(new double[] {1, 3, 5}, c.x());
        assertArrayEquals(new double[] {2, 4, 6}, c.y());
        assertArrayEquals(new long[] {3, 5, 6}, c.lineNumbers());
    }

    @Test
    void lastLineWithoutNewline() throws Exception {
        assertArrayEquals(new double[] {1, 2}, read(write("n1.txt", "1\n2"), 1, null).x());
        assertArrayEquals(new double[] {1, 2}, read(write("n2.txt", "1\r\n2\r"), 1, null).x());
        assertArrayEquals(new double[] {1, 2}, read(write("n3.txt", "1\n2 # end"), 1, null).x());
        Collected c = read(write("n4.txt", "7,8"), 2, null);
        assertArrayEquals(new double[] {7}, c.x());
        assertArrayEquals(new double[] {8}, c.y());
        assertArrayEquals(new long[] {1}, c.lineNumbers());
    }

    @Test
    void skipsUtf8ByteOrderMark() throws Exception {
        Collected c = read(write("bom.csv", "\uFEFFx\n1\n2\n"), 1, null);
        assertArrayEquals(new double[] {1, 2}, c.x());
        Collected d = read(write("bom2.csv", "\uFEFF3\n4\n"), 1, null);
        assertArrayEquals(new double[] {3, 4}, d.x());
    }

    // ------------------------------------------------------------------------------------------
    // Header and column selection
    // ------------------------------------------------------------------------------------------

    @Test
    void headerWithColumnChosenByName() throws Exception {
        Path p = write("h.csv", "# made by a test\nid,energy,dist\n1,-3.5,0.25\n2,-4.5,0.5\n");
        Collected c = read(p, 1, "energy");
        assertArrayEquals(new double[] {-3.5, -4.5}, c.x());
        assertArrayEquals(new long[] {3, 4}, c.lineNumbers());
        assertArrayEquals(new double[] {0.25, 0.5}, read(p, 1, " dist ").x());

        Collected c2 = read(p, 2, "dist,energy");
        assertArrayEquals(new double[] {0.25, 0.5}, c2.x());
        assertArrayEquals(new double[] {-3.5, -4.5}, c2.y());
    }

    @Test
    void headerWithColumnChosenByNumber() throws Exception {
        Path p = write("hn.csv", "id energy dist\n1 -3.5 0.25\n2 -4.5 0.5\n");
        assertArrayEquals(new double[] {-3.5, -4.5}, read(p, 1, "2").x());
        Collected c = read(p, 2, "3,1");
        assertArrayEquals(new double[] {0.25, 0.5}, c.x());
        assertArrayEquals(new double[] {1, 2}, c.y());
        // names and numbers can be mixed
        Collected m = read(p, 2, "energy,3");
        assertArrayEquals(new double[] {-3.5, -4.5}, m.x());
        assertArrayEquals(new double[] {0.25, 0.5}, m.y());
    }

    @Test
    void quotedHeaderNames() throws Exception {
        Path p = write("q.csv", "\"a\",\"b\"\n1,2\n");
        assertArrayEquals(new double[] {2}, read(p, 1, "b").x());
    }

    @Test
    void headerWithExactlyDimensionColumnsNeedsNoChoice() throws Exception {
        assertArrayEquals(new double[] {1, 2}, read(write("h1.csv", "x\n1\n2\n"), 1, null).x());
        Collected c = read(write("h2.csv", "x,y\n1,2\n3,4\n"), 2, null);
        assertArrayEquals(new double[] {1, 3}, c.x());
        assertArrayEquals(new double[] {2, 4}, c.y());
    }

    @Test
    void headerWithOtherColumnCountNeedsChoice() throws Exception {
        DataFormatException e = failure("wide.csv", "\n# c\na,b,c\n1,2,3\n", 1, null);
        assertLocated(e, "wide.csv", 3);
        assertMessageContains(e, "a, b, c");
        assertMessageContains(e, "--column");

        DataFormatException e2 = failure("narrow.csv", "x\n1\n", 2, null);
        assertLocated(e2, "narrow.csv", 1);
        assertMessageContains(e2, "--column");
    }

    @Test
    void unknownColumnNameIsReported() throws Exception {
        DataFormatException e = failure("u.csv", "a,b\n1,2\n", 1, "c");
        assertLocated(e, "u.csv", 1);
        assertTrue(e.getMessage().contains("'c'") && e.getMessage().contains("a, b"), e.getMessage());
        DataFormatException e2 = failure("u2.csv", "a,b\n1,2\n", 1, "3");
        assertLocated(e2, "u2.csv", 1);
    }

    @Test
    void columnNumbersWithoutHeader() throws Exception {
        Path p = write("cols.txt", "1 10 100\n2 20 200 2000\n");
        assertArrayEquals(new double[] {100, 200}, read(p, 1, "3").x());
        Collected c = read(p, 2, "3,1");
        assertArrayEquals(new double[] {100, 200}, c.x());
        assertArrayEquals(new double[] {1, 2}, c.y());
    }

    @Test
    void columnNameWithoutHeaderIsAnError() throws Exception {
        DataFormatException e = failure("nh.txt", "# comment\n1 2\n3 4\n", 1, "x");
        assertLocated(e, "nh.txt", 2);
        assertTrue(e.getMessage().contains("'x'") && e.getMessage().contains("header"), e.getMessage());
    }

    @Test
    void withoutHeaderEachLineNeedsExactlyDimensionFields() throws Exception {
        DataFormatException e = failure("cnt.txt", "1\n2\n# c\n3 4\n5\n", 1, null);
        assertLocated(e, "cnt.txt", 4);
        assertTrue(e.getMessage().contains("expected 1") && e.getMessage().contains("found 2"), e.getMessage());

        DataFormatException e2 = failure("cnt2.txt", "1,2\n3,4\n5\n", 2, null);
        assertLocated(e2, "cnt2.txt", 3);
        assertTrue(e2.getMessage().contains("expected 2") && e2.getMessage().contains("found 1"), e2.getMessage());

        DataFormatException e3 = failure("cnt3.csv", "x,y\n1,2\n3,4,5\n", 2, null);
        assertLocated(e3, "cnt3.csv", 3);
    }

    @Test
    void tooFewFieldsForSelectedColumn() throws Exception {
        DataFormatException e = failure("few.csv", "a,b,c\n1,2,3\n4,5\n", 1, "c");
        assertLocated(e, "few.csv", 3);
        DataFormatException e2 = failure("few.txt", "1 2 3\n\n4 5 6\n7\n", 2, "1,2");
        assertLocated(e2, "few.txt", 4);
    }

    @Test
    void emptyFieldsKeepColumnsAligned() throws Exception {
        DataFormatException e = failure("ef.txt", "1,2\n3,,4\n", 2, null);
        assertLocated(e, "ef.txt", 2);
        assertMessageContains(e, "found 3");
        DataFormatException e2 = failure("ef2.csv", "a,b,c\n1,2,3\n4,,6\n", 1, "b");
        assertLocated(e2, "ef2.csv", 3);
        assertMessageContains(e2, "empty");
        // column c still refers to the third field
        assertArrayEquals(new double[] {3, 6}, read(write("ef3.csv", "a,b,c\n1,2,3\n4,,6\n"), 1, "c").x());
    }

    @Test
    void malformedColumnSpecIsAnArgumentError() throws Exception {
        Path p = write("spec.txt", "1 2\n");
        assertThrows(IllegalArgumentException.class, () -> read(p, 1, "1,2"));
        assertThrows(IllegalArgumentException.class, () -> read(p, 2, "1"));
        assertThrows(IllegalArgumentException.class, () -> read(p, 2, "1,"));
        assertThrows(IllegalArgumentException.class, () -> read(p, 1, "0"));
        assertThrows(IllegalArgumentException.class, () -> read(p, 1, ""));
    }

    // ------------------------------------------------------------------------------------------
    // Bad values and bad files
    // ------------------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"abc", "nan", "NaN", "inf", "-inf", "Infinity", "1.2.3", "0x1p3", "1e", "1e+", "+",
        "-", ".", "1.5f", "2d", "--1", "1e5.5", "e5", "1_000", "1e400", "-1e999"})
    void nonNumbersAreReportedWithLineAndText(String bad) throws Exception {
        DataFormatException e = failure("bad.txt", "1\n2\n# comment\n" + bad + "\n5\n", 1, null);
        assertLocated(e, "bad.txt", 4);
        assertMessageContains(e, "'" + bad + "'");
        assertMessageContains(e, "is not a finite number");
    }

    @Test
    void messageFormatMatchesExample() throws Exception {
        DataFormatException e = failure("data.txt", "1\n".repeat(16) + "abc\n", 1, null);
        assertTrue(e.getMessage().endsWith("data.txt:17: 'abc' is not a finite number"), e.getMessage());
        assertEquals("'abc' is not a finite number", e.problem());
        assertEquals(17, e.line());
        assertEquals(dir.resolve("data.txt"), e.file());
    }

    @Test
    void badValueInSecondColumn() throws Exception {
        DataFormatException e = failure("bad2.txt", "1 2\n3 oops\n", 2, null);
        assertLocated(e, "bad2.txt", 2);
        assertMessageContains(e, "'oops'");
    }

    @Test
    void numericLookingFirstLineIsDataNotHeader() throws Exception {
        // "nan" and "1.2.3" are not names, so line 1 is treated (and rejected) as data
        assertLocated(failure("f1.txt", "nan\n1\n", 1, null), "f1.txt", 1);
        assertLocated(failure("f2.txt", "1.2.3\n1\n", 1, null), "f2.txt", 1);
        assertLocated(failure("f3.txt", "1 inf\n1 2\n", 2, null), "f3.txt", 1);
    }

    @Test
    void tinyValuesUnderflowToZeroLikeTheJdk() throws Exception {
        Collected c = read(write("tiny.txt", "1e-400\n-1e-400\n4.9e-324\n"), 1, null);
        assertEquals(Double.doubleToRawLongBits(0.0), Double.doubleToRawLongBits(c.x()[0]));
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(c.x()[1]));
        assertEquals(Double.MIN_VALUE, c.x()[2]);
    }

    @Test
    void emptyFilesHaveNoDataPoints() throws Exception {
        for (String content : new String[] {"", "\n\n", "# only\n  # comments\n", "x\n", "a,b\n# nothing\n"}) {
            DataFormatException e = failure("empty.txt", content, content.startsWith("a") ? 2 : 1, null);
            assertEquals(0, e.line());
            assertTrue(e.problem().startsWith("no data points"), e.getMessage());
            assertMessageContains(e, "empty.txt: no data points");
        }
    }

    @Test
    void missingFileIsADataFormatException() {
        Path p = dir.resolve("absent.txt");
        DataFormatException e = assertThrows(DataFormatException.class, () -> read(p, 1, null));
        assertEquals(0, e.line());
        assertEquals(p, e.file());
        assertEquals("cannot read: no such file", e.problem());
        assertEquals(p + ": cannot read: no such file", e.getMessage());
    }

    @Test
    void directoryIsADataFormatException() {
        DataFormatException e = assertThrows(DataFormatException.class, () -> read(dir, 1, null));
        assertTrue(e.problem().startsWith("cannot read"), e.getMessage());
    }

    @Test
    void dimensionMustBeOneOrTwo() throws Exception {
        Path p = write("d.txt", "1\n");
        assertThrows(IllegalArgumentException.class, () -> read(p, 0, null));
        assertThrows(IllegalArgumentException.class, () -> read(p, 3, null));
        assertThrows(IllegalArgumentException.class, () -> read(dir.resolve("absent"), 3, null));
    }

    @Test
    void exceptionFormatting() {
        Path p = Path.of("x.csv");
        assertEquals("x.csv:3: bad", new DataFormatException(p, 3, "bad").getMessage());
        assertEquals("x.csv: bad", new DataFormatException(p, 0, "bad").getMessage());
        assertEquals("x.csv: bad", new DataFormatException(p, -1, "bad").getMessage());
    }

    @Test
    void sinkExceptionsPropagate() throws Exception {
        Path p = write("s.txt", "1\n2\n");
        DataFormatException mine = new DataFormatException(p, 2, "from the sink");
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> SampleReader.read(p, 1, null, (xs, ys, lines, n) -> {
                    throw mine;
                }));
        assertSame(mine, e);
    }

    // ------------------------------------------------------------------------------------------
    // Batching, buffering, large files
    // ------------------------------------------------------------------------------------------

    @Test
    void deliversFullBatchesThenTheRest() throws Exception {
        int n = 2 * SampleReader.BATCH + 1000;
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append(i).append(' ').append(-i).append('\n');
        }
        Collected c = read(write("batch.txt", sb.toString()), 2, null);
        assertEquals(List.of(SampleReader.BATCH, SampleReader.BATCH, 1000), c.batchSizes);
        for (int i = 0; i < n; i++) {
            assertEquals(i, c.xs.get(i));
            assertEquals(-i, c.ys.get(i));
            assertEquals(i + 1, c.lines.get(i));
        }
    }

    @Test
    void linesSpanningBufferRefillsAndLongLines() throws Exception {
        String longComment = "# " + "z".repeat(5000) + "\n";
        String longHeader = "a" + ",pad".repeat(2000) + ",b\n";
        StringBuilder sb = new StringBuilder(longComment).append(longHeader);
        List<Double> expectA = new ArrayList<>();
        List<Double> expectB = new ArrayList<>();
        Random rnd = new Random(7);
        for (int i = 0; i < 300; i++) {
            double a = rnd.nextGaussian() * 1e3;
            double b = rnd.nextDouble();
            expectA.add(a);
            expectB.add(b);
            sb.append(a).append(",0".repeat(2000)).append(',').append(b).append(i % 3 == 0 ? "\r\n" : "\n");
        }
        Path p = write("long.csv", sb.toString());
        for (int buffer : new int[] {1, 2, 3, 5, 64, 1000, 4096, 1 << 20}) {
            Collected c = read(p, 2, "a,b", buffer);
            assertEquals(expectA, c.xs, "buffer " + buffer);
            assertEquals(expectB, c.ys, "buffer " + buffer);
            assertEquals(3, c.lines.get(0));
        }
        // an error on a line that straddles refills still reports the right line
        Path bad = write("longbad.txt", "1\n" + "2".repeat(3000) + "x\n");
        for (int buffer : new int[] {1, 7, 100}) {
            DataFormatException e = assertThrows(DataFormatException.class, () -> read(bad, 1, null, buffer));
            assertLocated(e, "longbad.txt", 2);
        }
    }

    @Test
    void largeFileSumMatchesJdkParsing() throws Exception {
        int n = 300_000;
        Random rnd = new Random(12345);
        Path p = dir.resolve("big.txt");
        double expected = 0;
        try (BufferedWriter w = Files.newBufferedWriter(p, StandardCharsets.US_ASCII)) {
            w.write("# large file\nvalue\n");
            for (int i = 0; i < n; i++) {
                double v = rnd.nextGaussian() * Math.pow(10, rnd.nextInt(9) - 4);
                String s;
                switch (i % 3) {
                    case 0 -> s = Double.toString(v);
                    case 1 -> s = String.format(Locale.ROOT, "%.6e", v);
                    default -> s = String.format(Locale.ROOT, "%.4f", v);
                }
                expected += Double.parseDouble(s);
                w.write(s);
                w.write('\n');
            }
        }
        assertTrue(Files.size(p) > 2L * SampleReader.DEFAULT_BUFFER, "file must exceed the buffer");
        double[] sum = {0};
        long[] last = {0};
        long count = SampleReader.read(p, 1, null, (xs, ys, lines, k) -> {
            for (int i = 0; i < k; i++) {
                sum[0] += xs[i];
            }
            last[0] = lines[k - 1];
        });
        assertEquals(n, count);
        assertEquals(Double.doubleToLongBits(expected), Double.doubleToLongBits(sum[0]));
        assertEquals(n + 2, last[0]);
    }

    // ------------------------------------------------------------------------------------------
    // Correct rounding
    // ------------------------------------------------------------------------------------------

    private static double randomDouble(Random rnd) {
        switch (rnd.nextInt(5)) {
            case 0: { // any finite bit pattern, including subnormals
                double v;
                do {
                    v = Double.longBitsToDouble(rnd.nextLong());
                } while (!Double.isFinite(v));
                return v;
            }
            case 1: // moderate magnitudes
                return rnd.nextGaussian() * Math.pow(10, rnd.nextInt(61) - 30);
            case 2: // short decimals that take the fast path
                return Double.parseDouble((rnd.nextLong() % 1_000_000_000_000_000L) + "e" + (rnd.nextInt(45) - 22));
            case 3: // near the ends of the range
                return (rnd.nextBoolean() ? Double.MAX_VALUE : Double.MIN_NORMAL) * (0.5 + 0.5 * rnd.nextDouble());
            default: // integers
                return (double) (rnd.nextInt() >> rnd.nextInt(31));
        }
    }

    @Test
    void randomRoundTripIsBitIdenticalToJdk() throws Exception {
        Random rnd = new Random(20240601L);
        int n = 200_000;
        List<String> texts = new ArrayList<>(3 * n);
        for (int i = 0; i < n; i++) {
            double v = randomDouble(rnd);
            texts.add(Double.toString(v));
            texts.add(String.format(Locale.ROOT, "%.6e", v));
            texts.add(String.format(Locale.ROOT, "%.17g", v));
        }
        // also short decimal spellings with the point in various places and explicit exponents
        for (int i = 0; i < 50_000; i++) {
            String digits = Long.toString(Math.abs(rnd.nextLong()) % 1_000_000_000_000_000L);
            int point = rnd.nextInt(digits.length() + 1);
            String m = digits.substring(0, point) + "." + digits.substring(point);
            if (m.equals(".")) {
                m = "0.";
            }
            String sign = rnd.nextInt(3) == 0 ? "-" : rnd.nextInt(2) == 0 ? "+" : "";
            int e = rnd.nextInt(60) - 30;
            texts.add(sign + m + (rnd.nextBoolean() ? "e" : "E") + (e >= 0 && rnd.nextBoolean() ? "+" : "") + e);
        }
        long[] expected = new long[texts.size()];
        Path p = dir.resolve("roundtrip.txt");
        try (BufferedWriter w = Files.newBufferedWriter(p, StandardCharsets.US_ASCII)) {
            for (int i = 0; i < texts.size(); i++) {
                expected[i] = Double.doubleToRawLongBits(Double.parseDouble(texts.get(i)));
                w.write(texts.get(i));
                w.write('\n');
            }
        }
        long[] got = new long[texts.size()];
        int[] at = {0};
        long count = SampleReader.read(p, 1, null, (xs, ys, lines, k) -> {
            for (int i = 0; i < k; i++) {
                got[at[0]++] = Double.doubleToRawLongBits(xs[i]);
            }
        });
        assertEquals(texts.size(), count);
        for (int i = 0; i < texts.size(); i++) {
            if (expected[i] != got[i]) {
                throw new AssertionError("'" + texts.get(i) + "' parsed as " + Double.longBitsToDouble(got[i])
                        + " but the JDK gives " + Double.longBitsToDouble(expected[i]));
            }
        }
    }

    @Test
    void hardCasesMatchJdkExactly() {
        String[] cases = {
            "0", "-0", "+0", "0.0", "-0.0", "00000", "0e999999999", "-0.000e-5",
            "1", "0.1", "0.2", "0.3", "1e22", "1e23", "-1e-22", "1e-23", "999999999999999", "999999999999999e22",
            "999999999999999e-22", "123456789012345e-22", "1234567890123456", "9007199254740993", "9007199254740992",
            "0.000000000000000000001", "100000000000000000000000", "1.000000000000000000000001",
            "4.9e-324", "2.4703282292062327e-324", "2.4703282292062328e-324", "2.2250738585072011e-308",
            "2.2250738585072012e-308", "1.7976931348623157e308", "1.7976931348623158e308", "1.7976931348623159e308",
            "3.0e-15", "1.5E+10", "12345.6789e-3", ".000123", "123.", "7e0", "7e-0", "7e+0",
            "179769313486231570000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
                + "0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
                + "0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
                + "00000000000000000000000000000000000000000000000000000000000000000000000000000",
        };
        for (String s : cases) {
            byte[] b = (" " + s + " ").getBytes(StandardCharsets.US_ASCII);
            double got = DecimalParser.parse(b, 1, b.length - 1);
            assertEquals(Double.doubleToRawLongBits(Double.parseDouble(s)), Double.doubleToRawLongBits(got), s);
        }
        for (String s : new String[] {"", "+", "-", ".", "e1", "1e", "1e-", "0x10", "NaN", "Infinity", "1f", "1 ", "1..2"}) {
            byte[] b = s.getBytes(StandardCharsets.US_ASCII);
            assertTrue(Double.isNaN(DecimalParser.parse(b, 0, b.length)), "should reject '" + s + "'");
        }
    }

    @Test
    void twoDimensionalFileWithHeaderCommentsAndMixedSeparators() throws Exception {
        String text = "# 2-D samples\n"
                + "step, phi, psi   # angles\n"
                + "0, -60.5, -45.25\n"
                + "\n"
                + "1\t-61\t-44 # tab separated\n"
                + "2 -62.125 -43\n";
        Collected c = read(write("rama.csv", text), 2, "phi,psi");
        assertArrayEquals(new double[] {-60.5, -61, -62.125}, c.x());
        assertArrayEquals(new double[] {-45.25, -44, -43}, c.y());
        assertArrayEquals(new long[] {3, 5, 6}, c.lineNumbers());
        assertTrue(Arrays.equals(c.x(), read(write("rama2.csv", text), 2, "2,3").x()));
    }

    @Test
    void extremeMagnitudesReadExactlyAndOverflowIsRejected() throws Exception {
        String text = "1.7976931348623157e308\n-4.9e-324\n2.2250738585072014E-308\n1e-400\n12345678901234567890123\n";
        Collected c = read(write("extremes.txt", text), 1, null);
        double[] expected = {Double.MAX_VALUE, -Double.MIN_VALUE, Double.MIN_NORMAL, 0.0, 12345678901234567890123.0};
        for (int i = 0; i < expected.length; i++) {
            assertEquals(Double.doubleToRawLongBits(expected[i]), Double.doubleToRawLongBits(c.x()[i]), "value " + i);
        }
        for (String big : new String[] {"1.7976931348623159e308", "1e400", "-2e308"}) {
            Path f = write("big.txt", "0.5\n" + big + "\n");
            DataFormatException e = assertThrows(DataFormatException.class, () -> read(f, 1, null));
            assertMessageContains(e, "big.txt:2:");
        }
    }
}

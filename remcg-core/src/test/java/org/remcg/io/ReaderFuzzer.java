package org.remcg.io;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * The fuzz harness of every file reader: damaged copies of intact files (fixed seeds) are read
 * every way the format allows, and the reader must keep its contract. It may deliver frames and end,
 * or throw a {@link TrajectoryFormatException} or {@link DataFormatException} whose message starts
 * with the file and names the frame, byte offset or line; any other exception or error, a variant
 * that takes more than {@value #SECONDS_PER_VARIANT} s, or one that allocates more than
 * {@link #allocationBudget} fails the run, naming the seed.
 *
 * <p>A variant is made from base {@code seed % bases} by one damage (three in a quarter of the
 * variants) drawn from byte damage (random bytes, a flipped bit, truncation, a range deleted,
 * duplicated, inserted or copied over, garbage appended, a garbage file), line damage for text
 * formats (a line deleted, duplicated, swapped or replaced, a number replaced by an odd one, an
 * odd character) and the format's own damage (header fields set to special values), if given. A
 * seed therefore reproduces its variant as long as this class and the bases stay as they are.
 *
 * <p>The system property {@code remcg.fuzz.scale} multiplies the number of variants of every run (a
 * deeper search by hand: {@code -Dremcg.fuzz.scale=20}).
 */
final class ReaderFuzzer {

    /** One way to read a file; may only end normally or throw the format exceptions. */
    @FunctionalInterface
    interface Pass {
        void read(Path file, Random rnd) throws Exception;
    }

    /** Damage that knows the format (e.g. a header field set to a special value). */
    @FunctionalInterface
    interface Damage {
        byte[] apply(byte[] intact, int base, Random rnd);
    }

    /** Opens a reader of the format. */
    @FunctionalInterface
    interface Opener {
        TrajectoryReader open(Path file) throws Exception;
    }

    /** Longest a variant may take. */
    static final int SECONDS_PER_VARIANT = 3;

    /** Frames a reader may deliver from one damaged file before it counts as endless. */
    static final int MAX_FRAMES = 100_000;

    /** Integers worth putting into binary header fields: signs, powers of two, type limits. */
    static final int[] SPECIAL_INTS = {0, 1, -1, 2, 3, 4, 8, 9, 12, 13, 24, 36, 48, 72, 84, 1 << 16, 1 << 20, 1 << 24, 1 << 28,
        1 << 30, Integer.MAX_VALUE, Integer.MIN_VALUE, Integer.MAX_VALUE - 8, 0xffffff};

    /** Odd replacements for a number in a text file. */
    static final String[] SPECIAL_NUMBERS = {"", "0", "-0", "-1", "1", "2147483647", "2147483648", "-2147483648",
        "9223372036854775807", "99999999999999999999", "1e308", "1e309", "-1e309", "1e-400", "nan", "NaN", "inf",
        "-Infinity", "0x10", "+", "-", ".", "1.2.3", "1e", "e5", "1,5", "١"};

    private final String fileName;
    private final List<byte[]> bases;
    private final boolean text;
    private final Damage damage;

    /** Counts of the last {@link #run}: variants read cleanly by the first pass, rejected by it, and frames delivered. */
    int clean;
    int rejected;
    private volatile long current;

    /**
     * @param fileName name of the damaged file (its extension picks the format where that matters)
     * @param text     whether line damage applies
     * @param damage   the format's own damage, or null
     */
    ReaderFuzzer(String fileName, List<byte[]> bases, boolean text, Damage damage) {
        this.fileName = fileName;
        this.bases = List.copyOf(bases);
        this.text = text;
        this.damage = damage;
    }

    /** Bytes a variant of {@code length} bytes may allocate: buffers, frames and messages, nothing in proportion to a claimed size. */
    static long allocationBudget(long length) {
        return (16L << 20) + 32 * length;
    }

    /**
     * Reads the variants of seeds {@code first, first + 1, ...} ({@code variants} of them) with every
     * pass and fails with the seeds that broke the contract; at least {@code minRejected} variants
     * must be rejected and at least one read cleanly (else the damage misses the reader or never
     * leaves a file intact).
     */
    void run(Path dir, long first, int count, int minRejected, Pass... passes) {
        int variants = count * Integer.getInteger("remcg.fuzz.scale", 1);
        clean = 0;
        rejected = 0;
        List<String> failures = new ArrayList<>();
        Path file = dir.resolve(fileName);
        assertTimeoutPreemptively(Duration.ofSeconds(60L + variants / 20), () -> {
            for (long seed = first; seed < first + variants && failures.size() <= 20; seed++) {
                current = seed;
                String problem = variant(file, seed, passes);
                if (problem != null) {
                    failures.add(problem);
                }
            }
        }, () -> fileName + ": the run timed out at seed " + current);
        if (!failures.isEmpty()) {
            fail(failures.size() + " damaged files broke the reader of " + fileName + ":\n" + String.join("\n", failures));
        }
        assertTrue(rejected >= minRejected, fileName + ": " + rejected + " of " + variants + " variants rejected, expected at least "
                + minRejected + " (the damage misses the reader?)");
        assertTrue(clean > 0, fileName + ": no variant was read cleanly (some damage, e.g. inside numbers, goes unnoticed)");
    }

    /** Reads the variant of one seed (a regression case) and fails if it breaks the contract. */
    void check(Path dir, long seed, Pass... passes) {
        String problem = variant(dir.resolve(fileName), seed, passes);
        if (problem != null) {
            fail(problem);
        }
    }

    /** The damaged file of a seed. */
    byte[] variant(long seed) {
        Random rnd = new Random(seed);
        int base = (int) (seed % bases.size());
        byte[] b = bases.get(base);
        int damages = rnd.nextInt(4) == 0 ? 3 : 1;
        for (int d = 0; d < damages; d++) {
            int kind = rnd.nextInt(damage == null ? (text ? 2 : 1) : (text ? 3 : 2));
            byte[] next = kind == 0 ? bytes(b, rnd) : kind == 1 && text ? lines(b, rnd) : damage.apply(b, base, rnd);
            b = next.length == 0 && rnd.nextBoolean() ? b : next;
        }
        return b;
    }

    /** Writes and reads one variant; the failure, naming the seed, or null. */
    private String variant(Path file, long seed, Pass... passes) {
        byte[] bytes = variant(seed);
        String what = fileName + " seed " + seed + " (" + bytes.length + " bytes)";
        try {
            Files.write(file, bytes);
        } catch (Exception e) {
            throw new AssertionError(what + ": cannot write the variant", e);
        }
        long before = allocated();
        long t0 = System.nanoTime();
        for (int p = 0; p < passes.length; p++) {
            try {
                passes[p].read(file, new Random(seed * 31 + p));
                if (p == 0) {
                    clean++;
                }
            } catch (TrajectoryFormatException | DataFormatException e) {
                String bad = located(e, file);
                if (bad != null) {
                    return what + ", pass " + p + ": " + bad;
                }
                if (p == 0) {
                    rejected++;
                }
            } catch (Throwable t) {
                StackTraceElement[] st = t.getStackTrace();
                return what + ", pass " + p + ": " + t + (st.length > 0 ? " at " + st[0] : "");
            }
        }
        long took = System.nanoTime() - t0;
        if (took > SECONDS_PER_VARIANT * 1_000_000_000L) {
            return what + ": took " + took / 1e9 + " s";
        }
        long used = allocated() - before;
        if (before >= 0 && used > allocationBudget(bytes.length)) {
            return what + ": allocated " + used + " bytes";
        }
        return null;
    }

    /**
     * Why a format exception does not name its file and place, or null when it does: a trajectory
     * problem names a frame, byte offset or line; a data file problem may concern the whole file.
     */
    static String located(Exception e, Path file) {
        String m = e.getMessage();
        Path named = e instanceof TrajectoryFormatException t ? t.file() : ((DataFormatException) e).file();
        if (!file.equals(named) || !m.startsWith(file.toString())) {
            return "the message does not name the file: " + m;
        }
        if (e instanceof TrajectoryFormatException t && t.frame() < 0 && t.offset() < 0 && !m.contains(": line ")) {
            return "the message names no frame, offset or line: " + m;
        }
        return null;
    }

    // ------------------------------------------------------------------------------------------ passes

    /** Reads all frames in order. */
    static Pass sequential(Opener opener) {
        return (file, rnd) -> {
            try (TrajectoryReader r = opener.open(file)) {
                Frame f = new Frame();
                for (int n = 0; r.next(f); n++) {
                    endless(n);
                }
            }
        };
    }

    /** Skips and reads frames at random. */
    static Pass mixed(Opener opener) {
        return (file, rnd) -> {
            try (TrajectoryReader r = opener.open(file)) {
                Frame f = new Frame();
                for (int n = 0; rnd.nextBoolean() ? r.skip() : r.next(f); n++) {
                    endless(n);
                }
            }
        };
    }

    /** Builds an index of the file (however much of it is sound) and reads on from a random frame. */
    static Pass indexed(Indexer indexer) {
        return (file, rnd) -> {
            IndexedTrajectory index = indexer.index(file);
            try (TrajectoryReader r = index.openAt(rnd.nextInt(index.frames() + 1))) {
                Frame f = new Frame();
                for (int n = 0; r.next(f); n++) {
                    endless(n);
                }
            }
        };
    }

    /** Indexes a file. */
    @FunctionalInterface
    interface Indexer {
        IndexedTrajectory index(Path file) throws Exception;
    }

    private static void endless(int n) {
        if (n > MAX_FRAMES) {
            throw new AssertionError("endless frames");
        }
    }

    // ------------------------------------------------------------------------------------------ damage

    /** Byte damage, the same for every format. */
    static byte[] bytes(byte[] src, Random rnd) {
        byte[] b = src.clone();
        if (b.length == 0) {
            return garbage(rnd, 1 + rnd.nextInt(64));
        }
        switch (rnd.nextInt(9)) {
            case 0 -> { // a few random bytes
                for (int k = 1 + rnd.nextInt(4); k > 0; k--) {
                    b[rnd.nextInt(b.length)] = (byte) rnd.nextInt(256);
                }
            }
            case 1 -> b[rnd.nextInt(b.length)] ^= (byte) (1 << rnd.nextInt(8)); // one bit
            case 2 -> b = Arrays.copyOf(b, rnd.nextInt(b.length)); // truncated
            case 3 -> { // a range deleted
                int at = rnd.nextInt(b.length);
                int len = Math.min(b.length - at, 1 + rnd.nextInt(300));
                b = splice(b, at, len, new byte[0]);
            }
            case 4 -> { // a range duplicated
                int at = rnd.nextInt(b.length);
                int len = Math.min(b.length - at, 1 + rnd.nextInt(300));
                b = splice(b, at, 0, Arrays.copyOfRange(b, at, at + len));
            }
            case 5 -> b = splice(b, rnd.nextInt(b.length + 1), 0, garbage(rnd, 1 + rnd.nextInt(64))); // garbage inserted
            case 6 -> { // a range copied over another place
                int from = rnd.nextInt(b.length);
                int to = rnd.nextInt(b.length);
                int len = Math.min(Math.min(b.length - from, b.length - to), 1 + rnd.nextInt(300));
                System.arraycopy(src, from, b, to, len);
            }
            case 7 -> b = splice(b, b.length, 0, garbage(rnd, 1 + rnd.nextInt(3000))); // garbage appended
            default -> { // a garbage file, sometimes starting like the intact one
                byte[] g = garbage(rnd, rnd.nextInt(3000));
                if (rnd.nextBoolean()) {
                    System.arraycopy(src, 0, g, 0, Math.min(g.length, rnd.nextInt(Math.min(src.length, 400) + 1)));
                }
                b = g;
            }
        }
        return b;
    }

    /** Line damage for text formats. */
    static byte[] lines(byte[] src, Random rnd) {
        List<String> lines = new ArrayList<>(Arrays.asList(new String(src, StandardCharsets.ISO_8859_1).split("\n", -1)));
        int i = rnd.nextInt(lines.size());
        switch (rnd.nextInt(7)) {
            case 0 -> lines.remove(i);
            case 1 -> lines.add(i, lines.get(i));
            case 2 -> {
                int j = rnd.nextInt(lines.size());
                String s = lines.get(i);
                lines.set(i, lines.get(j));
                lines.set(j, s);
            }
            case 3 -> lines.set(i, number(lines.get(i), rnd));
            case 4 -> { // a line of random tokens
                StringBuilder sb = new StringBuilder();
                for (int k = rnd.nextInt(12); k > 0; k--) {
                    sb.append(rnd.nextBoolean() ? SPECIAL_NUMBERS[rnd.nextInt(SPECIAL_NUMBERS.length)] : "ITEM:").append(' ');
                }
                lines.set(i, sb.toString());
            }
            case 5 -> { // an odd character
                String s = lines.get(i);
                String odd = " \t\r#-+.eE0123456789\u0000\u00ff\"'=";
                int at = rnd.nextInt(s.length() + 1);
                lines.set(i, s.substring(0, at) + odd.charAt(rnd.nextInt(odd.length())) + s.substring(Math.min(s.length(), at + rnd.nextInt(2))));
            }
            default -> lines.add(i, ""); // a blank line
        }
        return String.join("\n", lines).getBytes(StandardCharsets.ISO_8859_1);
    }

    /** The line with one of its numbers (a run of digits, signs, points and exponents) replaced by an odd one. */
    private static String number(String line, Random rnd) {
        List<int[]> runs = new ArrayList<>();
        int k = 0;
        while (k < line.length()) {
            if (Character.isDigit(line.charAt(k))) {
                int s = k;
                while (s > 0 && "+-.".indexOf(line.charAt(s - 1)) >= 0) {
                    s--;
                }
                int e = k;
                while (e < line.length() && (Character.isDigit(line.charAt(e)) || ".eE+-".indexOf(line.charAt(e)) >= 0)) {
                    e++;
                }
                runs.add(new int[] {s, e});
                k = e;
            } else {
                k++;
            }
        }
        String odd = SPECIAL_NUMBERS[rnd.nextInt(SPECIAL_NUMBERS.length)];
        if (runs.isEmpty()) {
            return line + " " + odd;
        }
        int[] r = runs.get(rnd.nextInt(runs.size()));
        return line.substring(0, r[0]) + odd + line.substring(r[1]);
    }

    static byte[] garbage(Random rnd, int n) {
        byte[] g = new byte[n];
        rnd.nextBytes(g);
        return g;
    }

    /** {@code b} with {@code len} bytes at {@code at} replaced by {@code insert}. */
    static byte[] splice(byte[] b, int at, int len, byte[] insert) {
        byte[] c = new byte[b.length - len + insert.length];
        System.arraycopy(b, 0, c, 0, at);
        System.arraycopy(insert, 0, c, at, insert.length);
        System.arraycopy(b, at + len, c, at + insert.length, b.length - at - len);
        return c;
    }

    /** Bytes the current thread has allocated so far (HotSpot), or -1 if unknown. */
    static long allocated() {
        java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        if (bean instanceof com.sun.management.ThreadMXBean hotspot && hotspot.isThreadAllocatedMemorySupported()) {
            if (!hotspot.isThreadAllocatedMemoryEnabled()) {
                hotspot.setThreadAllocatedMemoryEnabled(true);
            }
            return hotspot.getThreadAllocatedBytes(Thread.currentThread().getId());
        }
        return -1;
    }
}

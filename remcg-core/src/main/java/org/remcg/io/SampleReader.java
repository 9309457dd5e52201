package org.remcg.io;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import org.remcg.parallel.BlockReduce;

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
 *
 * <h2>Reading in parallel</h2>
 * {@link #readChunks} cuts the file into contiguous chunks and parses them on several threads, one
 * sink per chunk. The same scanner code serves both entry points, so the format rules, the values and
 * the error messages are the same; see that method for how chunks are formed and how errors from
 * different chunks are ranked.
 */
public final class SampleReader {

    /** Points per call of {@link Sink#accept}. */
    public static final int BATCH = 8192;

    /** Default size of the read buffer. */
    static final int DEFAULT_BUFFER = 1 << 20;

    /** Smallest read buffer of a chunk worker (tiny chunks still read a few KiB at a time). */
    static final int MIN_CHUNK_BUFFER = 1 << 13;

    /** Buffer for the look at the start of the file that finds the header before chunking. */
    private static final int PROBE_BUFFER = 1 << 16;

    /** Eight bytes of a byte array as one little-endian long (for counting newlines). */
    private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /** Name prefix of the threads of a parallel read. */
    private static final String THREAD_NAME = "remcg-reader";

    /** Most chunks one call may cut a file into (the chunk number is an int). */
    static final int MAX_CHUNKS = Integer.MAX_VALUE - 16;

    /**
     * Receives points in batches, in file order. {@code xs}, {@code ys} and {@code lines} are reused
     * between calls, so use their contents before returning. {@code ys} is null for dimension 1;
     * {@code lines[i]} is the 1-based line number of point {@code i}; only the first {@code count}
     * entries are valid.
     */
    public interface Sink {
        void accept(double[] xs, double[] ys, long[] lines, int count) throws DataFormatException;
    }

    /** Creates the sink for one chunk; chunks are numbered 0.. in file order. */
    public interface SinkFactory<S extends Sink> {
        S create(int chunk);
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
        checkDimension(dimension);
        if (bufferSize < 1) {
            throw new IllegalArgumentException("buffer size must be positive");
        }
        String[] wanted = columns == null ? null : splitColumnSpec(columns, dimension);
        try (FileChannel ch = open(file)) {
            SampleScanner scanner = new SampleScanner(file, dimension, wanted, bufferSize);
            scanner.sink = sink;
            long n = scanner.run((b, off, len) -> ch.read(ByteBuffer.wrap(b, off, len)));
            if (n == 0) {
                throw noData(file, scanner.header);
            }
            return n;
        }
    }

    /**
     * Reads the file in contiguous chunks of about {@code chunkBytes} bytes (split only at line
     * starts), parsing chunks on up to {@code threads} threads. Each chunk gets its own sink (from the
     * factory), which receives that chunk's points in order, in batches, exactly as
     * {@link #read(Path, int, String, Sink) read()} would deliver them. Returns the sinks in chunk
     * order. The chunk boundaries depend only on the file and {@code chunkBytes}, never on
     * {@code threads}, so a caller that merges the per-chunk results in order gets the same answer for
     * any thread count.
     *
     * <p><b>Chunks.</b> For a file of {@code size} bytes there are exactly
     * {@code ceil(size / chunkBytes)} chunks, and the returned list has one sink per chunk. Chunk
     * {@code k} starts at the first line start at or after byte {@code k * chunkBytes} (a line start is
     * offset 0 or the byte after a {@code '\n'}) and ends where chunk {@code k + 1} starts (the last one
     * at the end of the file). A line longer than {@code chunkBytes} therefore makes its chunk longer
     * and can leave following chunks empty; an empty chunk still gets its sink, which is simply never
     * called. Chunks holding only blank lines, comments or the header get a sink that is never called
     * as well.
     *
     * <p><b>Format.</b> The rules are those of {@code read()}, applied by the same code. Whether the
     * first non-blank line is a header, and which columns are read, is settled once, by reading the
     * start of the file up to that line, before any chunk is parsed. Line numbers handed to sinks and
     * put in error messages are the true 1-based line numbers of the file: a first pass over the file
     * counts the newlines of each chunk, and each chunk starts counting from the sum over the chunks
     * before it. The file is read with positional reads; its size is taken when it is opened.
     *
     * <p><b>Errors.</b> Missing files, files without any data point, a bad header and a bad column
     * choice give the same exceptions, with the same messages, as {@code read()}. Otherwise a chunk
     * stops at its first failure (a bad line, a {@link DataFormatException} or unchecked exception
     * thrown by its sink, an I/O error), and of all failing chunks the one with the lowest number wins;
     * its exception is rethrown as it was thrown, not wrapped. Chunks follow file order, so when the
     * sinks do not fail, the error is the one {@code read()} reports: the bad line with the smallest
     * number, with the same message. Once a chunk has failed, later chunks
     * are abandoned (their sinks may have seen part of their points); earlier ones still run to their
     * end so that the ranking does not depend on timing.
     *
     * <p><b>Threads.</b> With {@code threads == 1}, or when the file has a single chunk, everything
     * runs on the calling thread. Otherwise the chunks are the blocks of a {@link BlockReduce} (one for
     * counting lines, one for parsing), each running on {@code min(threads, chunks)} daemon threads of
     * its own that have ended before it returns; the calling thread waits. Each worker owns one read buffer of {@code min(max(chunkBytes, 8 KiB), 1 MiB)}
     * bytes (grown only for a longer line) and one set of batch arrays, reused across the chunks it
     * parses, so memory does not depend on the file size beyond the few numbers kept per chunk. A sink
     * is called from one thread at a time, but different sinks are called from different threads; the
     * factory is called on the calling thread, for chunks 0, 1, ... in order, before parsing starts.
     * When the method returns or throws, all workers have finished and whatever they did to the sinks
     * is visible to the caller. The one exception: if the calling thread is interrupted while it
     * waits, the workers are only told to stop (each at its next read) and an
     * {@link InterruptedIOException} is thrown at once, with the interrupt status kept.
     *
     * @param chunkBytes nominal chunk length in bytes, at least 1
     * @param threads    most threads to parse on, at least 1
     * @param factory    makes the sink of each chunk; must not return null
     * @return the sinks of all chunks, in chunk order (an unmodifiable list)
     * @throws DataFormatException      for missing files and any problem with the content
     * @throws IllegalArgumentException for a bad dimension, chunk length or thread count, a malformed
     *                                  {@code columns} string, or more than {@value #MAX_CHUNKS} chunks
     * @throws IOException              for other failures reading the file
     */
    public static <S extends Sink> List<S> readChunks(Path file, int dimension, String columns, long chunkBytes,
            int threads, SinkFactory<S> factory) throws IOException, DataFormatException {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(factory, "factory");
        checkDimension(dimension);
        if (chunkBytes < 1) {
            throw new IllegalArgumentException("chunk length must be positive, not " + chunkBytes);
        }
        if (threads < 1) {
            throw new IllegalArgumentException("thread count must be positive, not " + threads);
        }
        String[] wanted = columns == null ? null : splitColumnSpec(columns, dimension);
        try (FileChannel ch = open(file)) {
            long size = ch.size();

            // Settle header and columns from the first non-blank line, as read() would.
            SampleScanner layout = new SampleScanner(file, dimension, wanted, PROBE_BUFFER);
            layout.probe = true;
            try {
                layout.run(new Region(file, ch, 0, size, null, 0));
            } catch (SampleScanner.Stop settled) {
                // reached the first non-blank line
            }
            if (!layout.configured) {
                throw noData(file, false);
            }

            long blocks = size / chunkBytes + (size % chunkBytes == 0 ? 0 : 1);
            if (blocks > MAX_CHUNKS) {
                throw new IllegalArgumentException("chunk length " + chunkBytes + " would cut " + file + " into "
                        + blocks + " chunks, more than " + MAX_CHUNKS);
            }
            int n = (int) blocks; // at least 1: the file has a non-blank line
            int workers = Math.min(threads, n);
            int bufferSize = (int) Math.min(Math.max(chunkBytes, MIN_CHUNK_BUFFER), DEFAULT_BUFFER);
            SampleScanner[] perWorker = new SampleScanner[workers];
            ChunkTable table = ChunkTable.build(file, ch, size, chunkBytes, n, workers, w -> worker(perWorker, w, layout, bufferSize).buf);

            List<S> sinks = new ArrayList<>(n);
            for (int k = 0; k < n; k++) {
                sinks.add(Objects.requireNonNull(factory.create(k), "the sink factory returned null"));
            }

            AtomicLong points = new AtomicLong();
            BlockReduce parse = new BlockReduce(THREAD_NAME, workers);
            runAll(file, parse, n, (w, k) -> {
                long from = table.start[k];
                long to = table.start[k + 1];
                if (from < to) {
                    SampleScanner sc = worker(perWorker, w, layout, bufferSize);
                    sc.sink = sinks.get(k);
                    sc.lineNo = table.linesBefore[k];
                    points.addAndGet(sc.run(new Region(file, ch, from, to, parse, k)));
                }
            });
            if (points.get() == 0) {
                throw noData(file, layout.header);
            }
            return Collections.unmodifiableList(sinks);
        }
    }

    private static void checkDimension(int dimension) {
        if (dimension != 1 && dimension != 2) {
            throw new IllegalArgumentException("dimension must be 1 or 2, not " + dimension);
        }
    }

    /** Opens {@code file} for reading, turning the usual reasons it cannot be read into format errors. */
    private static FileChannel open(Path file) throws IOException, DataFormatException {
        if (Files.isDirectory(file)) {
            throw new DataFormatException(file, 0, "cannot read: it is a directory");
        }
        try {
            return FileChannel.open(file, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw new DataFormatException(file, 0, "cannot read: no such file");
        } catch (AccessDeniedException e) {
            throw new DataFormatException(file, 0, "cannot read: permission denied");
        }
    }

    private static DataFormatException noData(Path file, boolean header) {
        return new DataFormatException(file, 0, header
                ? "no data points (the file has a header but no data lines)"
                : "no data points (the file is empty or holds only blank lines and comments)");
    }

    /** The scanner of worker {@code w}, made on first use with the settled column layout. */
    private static SampleScanner worker(SampleScanner[] perWorker, int w, SampleScanner layout, int bufferSize) {
        SampleScanner sc = perWorker[w];
        if (sc == null) {
            sc = new SampleScanner(layout, bufferSize);
            perWorker[w] = sc;
        }
        return sc;
    }

    // ------------------------------------------------------------------------------------------
    // Parallel plumbing
    // ------------------------------------------------------------------------------------------

    /**
     * Runs tasks {@code 0 .. tasks-1} as the blocks of {@code job} (on the calling thread, or on the
     * job's own threads) and rethrows the failure of the lowest-numbered failing task as it was thrown.
     */
    private static void runAll(Path file, BlockReduce job, int tasks, BlockReduce.Step<Exception> task)
            throws IOException, DataFormatException {
        try {
            job.forEach(tasks, task);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the workers stop at their next read: every task is abandoned
            throw new InterruptedIOException("interrupted while reading " + file);
        } catch (IOException | DataFormatException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e); // tasks throw nothing else
        }
    }

    /**
     * Positional reads of the byte range {@code [pos, end)} of a channel; the range ends early only if
     * block {@code index} of {@code job} is abandoned.
     */
    private static final class Region implements SampleScanner.Source {
        private final Path file;
        private final FileChannel ch;
        private final long end;
        private final BlockReduce job;
        private final int index;
        private long pos;

        // stores its arguments (pos then advances), the shape of any such constructor
        Region(Path file, FileChannel ch, long pos, long end, BlockReduce job, int index) {
            this.file = file;
            this.ch = ch;
            this.pos = pos;
            this.end = end;
            this.job = job;
            this.index = index;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (job != null && job.abandoned(index)) {
                throw SampleScanner.Stop.INSTANCE;
            }
            if (pos >= end) {
                return -1;
            }
            int want = (int) Math.min(len, end - pos);
            int r = ch.read(ByteBuffer.wrap(b, off, want), pos);
            if (r < 0) {
                throw new IOException(file + ": the file became shorter while it was being read");
            }
            pos += r;
            return r;
        }
    }

    /**
     * Where the chunks of a file start and how many lines come before each: chunk {@code k} is
     * {@code [start[k], start[k+1])} and its first line is number {@code linesBefore[k] + 1}.
     */
    private static final class ChunkTable {
        final long[] start;
        final long[] linesBefore;

        private ChunkTable(long[] start, long[] linesBefore) {
            this.start = start;
            this.linesBefore = linesBefore;
        }

        /**
         * Counts the newlines of each nominal block {@code [k * chunkBytes, (k+1) * chunkBytes)}, notes
         * the first newline in it and whether its last byte is one, and derives the chunk starts from
         * that. The counting is spread over the workers in runs of whole blocks.
         */
        static ChunkTable build(Path file, FileChannel ch, long size, long chunkBytes, int n, int workers,
                java.util.function.IntFunction<byte[]> bufferOf) throws IOException, DataFormatException {
            long[] newlines = new long[n];
            long[] firstNewline = new long[n];
            Arrays.fill(firstNewline, -1);
            boolean[] endsWithNewline = new boolean[n];

            long target = Math.max(DEFAULT_BUFFER, size / (4L * workers));
            long blocksPerRun = Math.max(1, target / chunkBytes);
            int runs = (int) ((n + blocksPerRun - 1) / blocksPerRun);
            runAll(file, new BlockReduce(THREAD_NAME, workers), runs, (w, r) -> {
                long firstBlock = r * blocksPerRun;
                long from = firstBlock * chunkBytes;
                long to = Math.min(size, Math.min(n, firstBlock + blocksPerRun) * chunkBytes);
                byte[] b = bufferOf.apply(w);
                long at = from;
                while (at < to) {
                    int got = ch.read(ByteBuffer.wrap(b, 0, (int) Math.min(b.length, to - at)), at);
                    if (got < 0) {
                        throw new IOException(file + ": the file became shorter while it was being read");
                    }
                    int i = 0;
                    while (i < got) { // one block (or the part of it in the buffer) at a time
                        int block = (int) ((at + i) / chunkBytes);
                        long blockEnd = Math.min(size, (block + 1) * chunkBytes);
                        int stop = (int) Math.min(got, blockEnd - at);
                        int j = i;
                        if (firstNewline[block] < 0) {
                            while (j < stop && b[j] != '\n') {
                                j++;
                            }
                            if (j < stop) {
                                firstNewline[block] = at + j;
                            }
                        }
                        newlines[block] += countNewlines(b, j, stop);
                        if (stop == blockEnd - at) {
                            endsWithNewline[block] = b[stop - 1] == '\n';
                        }
                        i = stop;
                    }
                    at += got;
                }
            });

            long[] start = new long[n + 1];
            long[] before = new long[n + 1];
            long sum = 0;
            for (int k = 0; k < n; k++) {
                before[k] = sum; // newlines before the block's nominal start
                sum += newlines[k];
            }
            before[n] = sum;
            start[n] = size;
            long nextNewline = -1; // first newline at or after the current block's nominal start
            for (int k = n - 1; k >= 1; k--) {
                if (firstNewline[k] >= 0) {
                    nextNewline = firstNewline[k];
                }
                if (endsWithNewline[k - 1]) {
                    start[k] = k * chunkBytes;      // already a line start
                } else if (nextNewline >= 0) {
                    start[k] = nextNewline + 1;     // just past the first newline from the nominal start on
                    before[k]++;                    // ... which is then the only one in between
                } else {
                    start[k] = size;                // the rest of the file is one line: empty chunk
                }
            }
            return new ChunkTable(start, before);
        }

        /**
         * Number of {@code '\n'} bytes in {@code b[from, to)}, eight bytes at a time: after xor-ing
         * with a word of newlines, a byte is zero exactly where a newline was; adding 0x7F to its low
         * seven bits (which cannot carry into the next byte) and or-ing in its top bit leaves the top
         * bit clear only for such zero bytes.
         */
        private static long countNewlines(byte[] b, int from, int to) {
            long c = 0;
            int i = from;
            for (; i <= to - 8; i += 8) {
                long w = (long) LONG_LE.get(b, i) ^ 0x0A0A0A0A0A0A0A0AL;
                long nonZero = ((w & 0x7F7F7F7F7F7F7F7FL) + 0x7F7F7F7F7F7F7F7FL) | w;
                c += Long.bitCount(~nonZero & 0x8080808080808080L);
            }
            for (; i < to; i++) {
                c += b[i] == '\n' ? 1 : 0;
            }
            return c;
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
            if (SampleScanner.allDigits(p) && p.chars().allMatch(ch -> ch == '0')) {
                throw new IllegalArgumentException("--column '" + columns + "': column numbers start at 1");
            }
        }
        return parts;
    }

}

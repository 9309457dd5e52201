package org.remcg.io;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The coordinate compression of GROMACS XTC files, shared by {@link XtcReader} and
 * {@link XtcWriter}.
 *
 * <h2>The compressed block</h2>
 *
 * Coordinates are scaled by the frame's precision and rounded to integers. The header of the
 * block gives, per dimension, the smallest and largest integer of the frame, which fixes the
 * range {@code size[k] = max[k] - min[k] + 1} of every coordinate. The block itself is a bit
 * stream, most significant bit first, made of groups:
 *
 * <ol>
 * <li>one atom stored "in full": its three offsets from {@code min}. When all three ranges are
 * at most 2<sup>24</sup>-1 the offsets are combined into one mixed-radix number
 * {@code (c0 * size1 + c1) * size2 + c2}, written with exactly as many bits as the product of
 * the three sizes has; otherwise each offset is written on its own with as many bits as its size
 * has;</li>
 * <li>one flag bit. 1 means a 5-bit field follows, {@code 3 * count + change + 1}, where
 * {@code count} is the number of atoms that follow as small differences and {@code change} (-1,
 * 0 or +1) moves the width of small differences for the <em>next</em> groups; 0 means: the same
 * count as the last group that had a field, no change;</li>
 * <li>{@code count} small difference triplets. The width index {@code w} selects
 * {@code m = MAGIC[w]}; a difference {@code d} is stored as {@code d + m/2}, the three are
 * combined in mixed radix {@code m} and written on {@code w} bits (the table is built so that
 * {@code m^3 <= 2^w}).</li>
 * </ol>
 *
 * Mixed-radix numbers are written as their bytes, least significant byte first, each byte as 8
 * bits, and the remaining top bits (1 to 8 of them) last.
 *
 * <p>The first small difference of a group belongs to the atom <em>before</em> the one stored in
 * full (its coordinates minus the full atom's), so for a water molecule O H H the file holds H1
 * in full, then O - H1, then H2 - O: the writer swaps the first two atoms of every group that has
 * differences, and the reader swaps them back. Every later difference is taken from the atom
 * decoded just before it.
 *
 * <p>Decoded integers are turned into nm as GROMACS does: {@code (float) i * (float) (1.0 /
 * precision)}, a float product with the float reciprocal of the precision.
 */
final class XtcCodec {

    // constants of the XTC layout (a list of named numbers, like other files' constant lists)
    /** Magic number of classic frames (32-bit byte count of the compressed block). */
    static final int MAGIC_1995 = 1995;
    /** Magic number of frames with a 64-bit byte count (GROMACS 2023 and later, huge systems). */
    static final int MAGIC_2023 = 2023;
    /** Above this many atoms GROMACS writes the 2023 layout (its 32-bit byte count may overflow). */
    static final int MAX_ATOMS_1995 = 298_261_617;
    /** Frames with at most this many atoms store plain floats and no compressed block. */
    static final int MAX_UNCOMPRESSED = 9;
    /** Magic, atoms, step, time, 3x3 box, atoms again. */
    static final int HEADER_BYTES = 56;
    /** Precision, 3 minimum and 3 maximum integers and the initial small-width index. */
    static final int BLOCK_HEADER_BYTES = 32;
    /** Largest atom count whose 3n doubles fit in one Java array. */
    static final int MAX_ATOMS_JAVA = (Integer.MAX_VALUE - 8) / 3;

    /** Smallest and largest usable width index. */
    static final int FIRST_IDX = 9;
    static final int LAST_IDX = 72;

    /**
     * Radix of small differences per width index: roughly 2^(w/3), with {@code MAGIC[w]^3 <= 2^w}.
     * Entries below {@link #FIRST_IDX} are unused.
     */
    private static final int[] MAGIC = {
        0, 0, 0, 0, 0, 0, 0, 0, 0, 8, 10, 12, 16, 20, 25, 32, 40, 50, 64, 80, 101, 128, 161, 203, 256, 322, 406,
        512, 645, 812, 1024, 1290, 1625, 2048, 2580, 3250, 4096, 5060, 6501, 8192, 10321, 13003, 16384, 20642,
        26007, 32768, 41285, 52015, 65536, 82570, 104031, 131072, 165140, 208063, 262144, 330280, 416127, 524287,
        660561, 832255, 1048576, 1321122, 1664510, 2097152, 2642245, 3329021, 4194304, 5284491, 6658042,
        8388607, 10568983, 13316085, 16777216,
    };

    /**
     * Largest |d| the writer stores at width index w: the stored value d + m/2 must lie in
     * [0, m), and we keep the range symmetric.
     */
    private static final int[] LIMIT = new int[LAST_IDX + 1];

    static {
        for (int w = FIRST_IDX; w <= LAST_IDX; w++) {
            LIMIT[w] = MAGIC[w] - 1 - MAGIC[w] / 2;
        }
    }

    /** Mixed-radix numbers with more bits than this go through the slow, 128-bit path. */
    private static final int FAST_BITS = 62;

    private static final VarHandle BE_LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    /**
     * Bytes a reader must keep readable after the end of a compressed block: decoding reads 8
     * bytes at a time and may run up to one group past the end of a damaged block before it
     * notices.
     */
    static final int SLACK = 256;

    private XtcCodec() {
    }

    static boolean validWidth(int w) {
        return w >= FIRST_IDX && w <= LAST_IDX;
    }

    /** Number of bits of v (0 for 0). */
    static int bitLength(long v) {
        return 64 - Long.numberOfLeadingZeros(v);
    }

    /**
     * Bits GROMACS uses for a full coordinate packed in mixed radix: the bit length of the product
     * of the three sizes (each at most 2^24 - 1, so the product has at most 72 bits).
     */
    static int packedBits(long s0, long s1, long s2) {
        long p = s0 * s1; // < 2^48
        long hi = Math.multiplyHigh(p, s2);
        long lo = p * s2;
        return hi != 0 ? 64 + bitLength(hi) : bitLength(lo);
    }

    /** Whether the three sizes must be written separately (one of them exceeds 2^24 - 1). */
    static boolean largeSizes(long s0, long s1, long s2) {
        return s0 > 0xffffff || s1 > 0xffffff || s2 > 0xffffff;
    }

    /** Minimum compressed bytes for n atoms: every group costs at least a 1-bit full atom and a flag. */
    static long minBlockBytes(long n) {
        return (2 * n + 7) / 8;
    }

    /** Maximum compressed bytes for n atoms: at most 93 bits for a full atom plus 6 flag bits. */
    static long maxBlockBytes(long n) {
        return (99 * n + 7) / 8 + 8;
    }

    /** A damaged compressed block; the reader turns it into a {@link TrajectoryFormatException}. */
    static final class Corrupt extends Exception {
        private static final long serialVersionUID = 1L;

        Corrupt(String message) {
            super(message, null, false, false);
        }
    }

    // ------------------------------------------------------------------------------------------
    // Decoding

    /**
     * How a frame stores its compressed coordinates, as the frame header gives it: the precision (integers per nm), the
     * integer coordinates' per-dimension minima and maxima, the initial small-difference width index, and where the
     * compressed bytes lie (offset from the frame's start, byte count). A reader fills one frame after frame.
     */
    static final class Block {
        float precision;
        final int[] min = new int[3];
        final int[] max = new int[3];
        int smallIdx;
        int offset;
        int bytes;
    }

    /** Decodes compressed blocks; keeps the little state the rare wide (> 62 bit) path needs. */
    static final class Decoder {
        // Results of the wide path.
        private long w0;
        private long w1;
        private long w2;

        /** The 64 bits starting at bit {@code pos} of {@code a}, first bit in the top bit. */
        private static long peek(byte[] a, long pos) {
            return (long) BE_LONG.get(a, (int) (pos >>> 3)) << (pos & 7);
        }

        /** Output of {@link #check}: one group's worth of coordinates, overwritten group after group. */
        private final double[] discard = new double[3 * 11]; // a group: the full atom and at most 10 more

        /**
         * Decodes the block without keeping the coordinates: proves that it really holds n atoms
         * before anyone allocates room for them.
         */
        void check(byte[] a, int frameStart, Block b, int n) throws Corrupt {
            decode(a, frameStart + b.offset, b.bytes, n, b.precision, b.min, b.max, b.smallIdx, discard, true);
        }

        /**
         * Decodes block {@code b} of the frame at {@code a[frameStart]}, holding {@code n} atoms, into {@code x}
         * (3n values, nm). {@code a} must stay readable {@link #SLACK} bytes past the block.
         */
        void decode(byte[] a, int frameStart, Block b, int n, double[] x) throws Corrupt {
            decode(a, frameStart + b.offset, b.bytes, n, b.precision, b.min, b.max, b.smallIdx, x, false);
        }

        private void decode(byte[] a, int from, int len, int n, float precision, int[] min, int[] max, int smallIdx,
                double[] x, boolean dry) throws Corrupt {
            final float inv = (float) (1.0 / precision);
            // ranges and bit widths as in Encoder.encode: locals of this per-atom loop, computed once per frame
            final long s0 = (long) max[0] - min[0] + 1;
            final long s1 = (long) max[1] - min[1] + 1;
            final long s2 = (long) max[2] - min[2] + 1;
            final boolean large = largeSizes(s0, s1, s2);
            final int b0 = bitLength(s0);
            final int b1 = bitLength(s1);
            final int b2 = bitLength(s2);
            final int fullBits = large ? 0 : packedBits(s0, s1, s2);
            final int min0 = min[0];
            final int min1 = min[1];
            final int min2 = min[2];
            final long end = ((long) from + len) << 3;
            long pos = (long) from << 3;
            int w = smallIdx;
            int run = 0;
            int i = 0;
            int o = 0;
            while (i < n) {
                // The atom stored in full.
                int cx;
                int cy;
                int cz;
                if (large) {
                    long v0 = peek(a, pos) >>> (64 - b0);
                    pos += b0;
                    long v1 = peek(a, pos) >>> (64 - b1);
                    pos += b1;
                    long v2 = peek(a, pos) >>> (64 - b2);
                    pos += b2;
                    if (v0 >= s0 || v1 >= s1 || v2 >= s2) {
                        throw new Corrupt("atom " + i + " lies outside the declared coordinate range");
                    }
                    cx = (int) v0 + min0;
                    cy = (int) v1 + min1;
                    cz = (int) v2 + min2;
                } else if (fullBits <= FAST_BITS) {
                    long v = mixedRadix(peekBits(a, pos, fullBits), fullBits);
                    pos += fullBits;
                    long q = v / s2;
                    long v2 = v - q * s2;
                    long v0 = q / s1;
                    long v1 = q - v0 * s1;
                    if (v0 >= s0) {
                        throw new Corrupt("atom " + i + " lies outside the declared coordinate range");
                    }
                    cx = (int) v0 + min0;
                    cy = (int) v1 + min1;
                    cz = (int) v2 + min2;
                } else {
                    wide(a, pos, fullBits, s0, s1, s2, i);
                    pos += fullBits;
                    cx = (int) w0 + min0;
                    cy = (int) w1 + min1;
                    cz = (int) w2 + min2;
                }
                i++;

                // Run-length field.
                int change = 0;
                if (peek(a, pos) < 0) {
                    int field = (int) (peek(a, pos + 1) >>> 59);
                    pos += 6;
                    change = field % 3;
                    run = field - change;
                    change--;
                } else {
                    pos += 1;
                }

                if (run > 0) {
                    int count = run / 3;
                    if (count > n - i) {
                        throw new Corrupt("a run of " + count + " atoms after atom " + (i - 1) + " goes past the last atom");
                    }
                    if (!validWidth(w)) {
                        throw new Corrupt("small-difference width index " + w + " out of range [" + FIRST_IDX + ", " + LAST_IDX + "]");
                    }
                    final long m = MAGIC[w];
                    final int half = MAGIC[w] / 2;
                    int px = 0;
                    int py = 0;
                    int pz = 0;
                    for (int k = 0; k < count; k++) {
                        long d0;
                        long d1;
                        long d2;
                        if (w <= FAST_BITS) {
                            long v = mixedRadix(peekBits(a, pos, w), w);
                            long q = v / m;
                            d2 = v - q * m;
                            d0 = q / m;
                            d1 = q - d0 * m;
                            if (d0 >= m) {
                                throw new Corrupt("small difference of atom " + (i + k) + " out of range");
                            }
                        } else {
                            wide(a, pos, w, m, m, m, i + k);
                            d0 = w0;
                            d1 = w1;
                            d2 = w2;
                        }
                        pos += w;
                        if (k == 0) {
                            // The first difference is the atom before the full one.
                            px = cx + (int) d0 - half;
                            py = cy + (int) d1 - half;
                            pz = cz + (int) d2 - half;
                            x[o] = (float) px * inv;
                            x[o + 1] = (float) py * inv;
                            x[o + 2] = (float) pz * inv;
                            x[o + 3] = (float) cx * inv;
                            x[o + 4] = (float) cy * inv;
                            x[o + 5] = (float) cz * inv;
                            o += 6;
                        } else {
                            px += (int) d0 - half;
                            py += (int) d1 - half;
                            pz += (int) d2 - half;
                            x[o] = (float) px * inv;
                            x[o + 1] = (float) py * inv;
                            x[o + 2] = (float) pz * inv;
                            o += 3;
                        }
                    }
                    i += count;
                } else {
                    x[o] = (float) cx * inv;
                    x[o + 1] = (float) cy * inv;
                    x[o + 2] = (float) cz * inv;
                    o += 3;
                }
                w += change;
                if (dry) {
                    o = 0;
                }
                if (pos > end) {
                    throw new Corrupt("the compressed data ends before atom " + Math.min(i, n - 1) + " (needs more than "
                            + len + " bytes)");
                }
            }
        }

        /** The next {@code bits} (1..62) bits at {@code pos}, as an unsigned number in stream order. */
        private static long peekBits(byte[] a, long pos, int bits) {
            if (bits <= 57) {
                return peek(a, pos) >>> (64 - bits);
            }
            long high = peek(a, pos) >>> 32;
            long low = peek(a, pos + 32) >>> (96 - bits);
            return (high << (bits - 32)) | low;
        }

        /**
         * Reorders {@code bits} (1..62) bits read in stream order into the number they encode: the
         * stream holds the bytes of the number least significant first, then its top bits.
         */
        private static long mixedRadix(long m, int bits) {
            int bytes = (bits - 1) >>> 3;
            if (bytes == 0) {
                return m;
            }
            int top = bits - (bytes << 3);
            long low = Long.reverseBytes(m >>> top) >>> (64 - (bytes << 3));
            return low | ((m & ((1L << top) - 1)) << (bytes << 3));
        }

        /**
         * The slow path for mixed-radix numbers of 63..72 bits: gathers the number as 128 bits and
         * divides it by 32-bit limbs. Leaves the three digits in w0, w1, w2.
         */
        private void wide(byte[] a, long pos, int bits, long r0, long r1, long r2, int atom) throws Corrupt {
            int bytes = (bits - 1) >>> 3;
            int top = bits - (bytes << 3);
            long lo = 0;
            long hi = 0;
            for (int k = 0; k < bytes; k++) {
                long b = peek(a, pos) >>> 56;
                pos += 8;
                lo |= b << (8 * k); // bytes <= 8, so k <= 7
            }
            long t = peek(a, pos) >>> (64 - top);
            if (bytes == 8) {
                hi = t;
            } else {
                lo |= t << (8 * bytes); // bytes == 7: lands in bits 56..63
            }
            // Divide (hi, lo) by r2, then by r1; the divisors are at most 2^24.
            long rem = hi % r2;
            long qh = hi / r2;
            long cur = (rem << 32) | (lo >>> 32);
            long q1 = cur / r2;
            rem = cur % r2;
            cur = (rem << 32) | (lo & 0xffffffffL);
            long q0 = cur / r2;
            w2 = cur % r2;
            hi = qh;
            lo = (q1 << 32) | q0;
            rem = hi % r1;
            qh = hi / r1;
            cur = (rem << 32) | (lo >>> 32);
            q1 = cur / r1;
            rem = cur % r1;
            cur = (rem << 32) | (lo & 0xffffffffL);
            q0 = cur / r1;
            w1 = cur % r1;
            lo = (q1 << 32) | q0;
            if (qh != 0 || Long.compareUnsigned(lo, r0) >= 0) {
                throw new Corrupt("atom " + atom + " lies outside the declared coordinate range");
            }
            w0 = lo;
        }
    }

    // ------------------------------------------------------------------------------------------
    // Encoding

    /**
     * Compresses frames. Our choices (GROMACS makes others, any decoder accepts both): one width
     * for small differences per frame, picked by estimating the cost of the candidates; greedy
     * runs of up to 8 differences that fit that width.
     */
    static final class Encoder {
        private byte[] out = new byte[0];
        private int outLen;
        private long acc;
        private int accBits;
        private byte[] needNext = new byte[0];
        private byte[] needSkip = new byte[0];
        private final long[] histogram = new long[LAST_IDX + 2];

        /** The compressed bytes (valid up to {@link #length()}). */
        byte[] bytes() {
            return out;
        }

        int length() {
            return outLen;
        }

        /** The initial width index chosen for the last frame. */
        int smallIdx;
        /** Exact bit count of the encoding chosen by {@link #chooseWidth}. */
        private long bestBits;

        /**
         * Compresses n atoms of integer coordinates {@code q} with per-dimension minima and maxima
         * already known (max - min + 1 must fit in an int).
         */
        void encode(int[] q, int n, int[] min, int[] max) {
            // ranges and bit widths as in Decoder.decode: locals of this per-atom loop, computed once per frame
            final long s0 = (long) max[0] - min[0] + 1;
            final long s1 = (long) max[1] - min[1] + 1;
            final long s2 = (long) max[2] - min[2] + 1;
            final boolean large = largeSizes(s0, s1, s2);
            final int b0 = bitLength(s0);
            final int b1 = bitLength(s1);
            final int b2 = bitLength(s2);
            final int fullBits = large ? b0 + b1 + b2 : packedBits(s0, s1, s2);

            int w = chooseWidth(q, n, fullBits);
            // chooseWidth's cost is the exact size of the encoding it picked.
            long needed = (bestBits + 7) / 8 + 8;
            if (needed > Integer.MAX_VALUE - 16) {
                throw new IllegalArgumentException("a frame of " + n + " atoms compresses to more than 2 GB");
            }
            if (out.length < needed) {
                out = new byte[(int) needed];
            }
            outLen = 0;
            acc = 0;
            accBits = 0;
            smallIdx = w < 0 ? FIRST_IDX : w;
            final int half = MAGIC[smallIdx] / 2;
            final long m = MAGIC[smallIdx];

            int prevRun = -1;
            int i = 0;
            while (i < n) {
                int count = w < 0 ? 0 : groupLength(i, n, w);
                int full = count > 0 ? i + 1 : i;
                long c0 = (long) q[3 * full] - min[0];
                long c1 = (long) q[3 * full + 1] - min[1];
                long c2 = (long) q[3 * full + 2] - min[2];
                if (large) {
                    put(c0, b0);
                    put(c1, b1);
                    put(c2, b2);
                } else {
                    putMixed(c0, c1, c2, s1, s2, fullBits);
                }
                int run = 3 * count;
                if (run != prevRun) {
                    put(1, 1);
                    put(run + 1, 5); // change 0: field = run + 0 + 1
                    prevRun = run;
                } else {
                    put(0, 1);
                }
                if (count > 0) {
                    // Atom i relative to the full atom i+1, then i+2 relative to i, then each to its predecessor.
                    putSmall(q, i, i + 1, half, m, w);
                    int prev = i;
                    for (int k = 2; k <= count; k++) {
                        putSmall(q, i + k, prev, half, m, w);
                        prev = i + k;
                    }
                }
                i += count + 1;
            }
            if (accBits > 0) {
                out[outLen++] = (byte) (acc << (8 - accBits));
                accBits = 0;
            }
        }

        private void putSmall(int[] q, int atom, int ref, int half, long m, int w) {
            long d0 = (long) q[3 * atom] - q[3 * ref] + half;
            long d1 = (long) q[3 * atom + 1] - q[3 * ref + 1] + half;
            long d2 = (long) q[3 * atom + 2] - q[3 * ref + 2] + half;
            putMixed(d0, d1, d2, m, m, w);
        }

        /** Writes {@code (c0 * r1 + c1) * r2 + c2} on {@code bits} bits, least significant byte first. */
        private void putMixed(long c0, long c1, long c2, long r1, long r2, int bits) {
            long t = c0 * r1 + c1; // < 2^48
            long lo = t * r2;
            long hi = Math.multiplyHigh(t, r2);
            long sum = lo + c2;
            if (Long.compareUnsigned(sum, lo) < 0) {
                hi++;
            }
            lo = sum;
            int bytes = (bits - 1) >>> 3;
            int top = bits - (bytes << 3);
            for (int k = 0; k < bytes; k++) {
                put((lo >>> (8 * k)) & 0xff, 8); // bytes <= 8, so all full bytes lie in lo
            }
            long rest = bytes < 8 ? (lo >>> (8 * bytes)) | (bytes == 0 ? 0 : hi << (64 - 8 * bytes)) : hi;
            put(rest & ((1L << top) - 1), top);
        }

        /** Appends the low {@code bits} (0..32) bits of v. */
        private void put(long v, int bits) {
            acc = (acc << bits) | v;
            accBits += bits;
            while (accBits >= 8) {
                accBits -= 8;
                out[outLen++] = (byte) (acc >>> accBits);
            }
        }

        // Width selection -----------------------------------------------------------------

        /** Smallest width index whose range holds |d| <= a, or LAST_IDX + 1 when none does. */
        private static int need(long a) {
            if (a > LIMIT[LAST_IDX]) {
                return LAST_IDX + 1;
            }
            int lo = FIRST_IDX;
            int hi = LAST_IDX;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (LIMIT[mid] >= a) {
                    hi = mid;
                } else {
                    lo = mid + 1;
                }
            }
            return lo;
        }

        private static long maxAbsDiff(int[] q, int a, int b) {
            long d0 = Math.abs((long) q[3 * a] - q[3 * b]);
            long d1 = Math.abs((long) q[3 * a + 1] - q[3 * b + 1]);
            long d2 = Math.abs((long) q[3 * a + 2] - q[3 * b + 2]);
            return Math.max(d0, Math.max(d1, d2));
        }

        /**
         * Atoms following atom i that go into its group as small differences at width w: atom i
         * itself (relative to i+1, which is stored in full), then i+2 (relative to i), then
         * each next atom relative to its predecessor, at most 8.
         */
        private int groupLength(int i, int n, int w) {
            if (i + 1 >= n || needNext[i] > w) {
                return 0;
            }
            if (i + 2 >= n || needSkip[i] > w) {
                return 1;
            }
            int count = 2;
            int last = i + 2;
            while (count < 8 && last + 1 < n && needNext[last] <= w) {
                count++;
                last++;
            }
            return count;
        }

        /** Estimated bits of a frame at width w (w < 0: no runs at all). */
        private long cost(int n, int w, int fullBits) {
            if (w < 0) {
                return (long) n * (fullBits + 1) + 5;
            }
            long bits = 0;
            int prevRun = -1;
            int i = 0;
            while (i < n) {
                int count = groupLength(i, n, w);
                bits += fullBits + (long) count * w + (3 * count == prevRun ? 1 : 6);
                prevRun = 3 * count;
                i += count + 1;
            }
            return bits;
        }

        /** The width index for this frame, or -1 for no runs. */
        private int chooseWidth(int[] q, int n, int fullBits) {
            if (needNext.length < n) {
                needNext = new byte[n];
                needSkip = new byte[n];
            }
            java.util.Arrays.fill(histogram, 0);
            for (int i = 0; i + 1 < n; i++) {
                int k = need(maxAbsDiff(q, i, i + 1));
                needNext[i] = (byte) k;
                histogram[k]++;
                needSkip[i] = i + 2 < n ? (byte) need(maxAbsDiff(q, i, i + 2)) : (byte) (LAST_IDX + 1);
            }
            // Rough estimate: a linked pair costs w bits instead of a full atom.
            int estimate = FIRST_IDX;
            long best = Long.MAX_VALUE;
            long linked = 0;
            for (int w = FIRST_IDX; w <= LAST_IDX; w++) {
                linked += histogram[w];
                long c = (n - linked) * fullBits + linked * w;
                if (c < best) {
                    best = c;
                    estimate = w;
                }
            }
            // Exact cost of the greedy grouping around the estimate, and of no runs at all.
            int chosen = -1;
            best = cost(n, -1, fullBits);
            for (int w = Math.max(FIRST_IDX, estimate - 3); w <= Math.min(LAST_IDX, estimate + 3); w++) {
                long c = cost(n, w, fullBits);
                if (c < best) {
                    best = c;
                    chosen = w;
                }
            }
            bestBits = best;
            return chosen;
        }
    }
}

package org.remcg.io;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.math.BigInteger;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Correctly rounded conversion of decimal text held in bytes to double, without creating
 * strings: the number-parsing core of remcg's text readers.
 *
 * <p>A number is read as an integer {@code w} of at most 19 digits times {@code 10^q}. When
 * {@code w < 2^53} and {@code |q| <= 22} it is converted by one multiplication or division by a
 * power of ten (both operands are exact doubles, so IEEE arithmetic rounds the true value
 * correctly). Otherwise the Eisel-Lemire algorithm (D. Lemire, "Number parsing at a gigabyte per
 * second", 2021) multiplies {@code w} by a 128-bit approximation of {@code 5^q}, which settles the
 * correctly rounded result for all but a tiny set of inputs (exact ties, exact values with long
 * digit strings, more than 19 significant digits whose bounds round differently, absurd
 * exponents); those are passed to {@link Double#parseDouble}. Either way the result is
 * bit-identical to {@code Double.parseDouble}.
 */
public final class DecimalParser {

    /** 10^0 .. 10^22: every entry is exactly representable as a double. */
    private static final double[] POW10 = {
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    };

    /** Reads eight bytes of a byte array as one little-endian long. */
    private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /** 5^0 .. 5^27: every power of five below 2^63. */
    private static final long[] POW5 = new long[28];

    static {
        POW5[0] = 1;
        for (int i = 1; i < POW5.length; i++) {
            POW5[i] = POW5[i - 1] * 5;
        }
    }

    /** Most digits gathered into one unsigned long: 10^19 - 1 < 2^64 <= 10^20 - 1. */
    private static final int MAX_DIGITS = 19;

    /** Exponents of this magnitude or more (as written) are left to {@link Double#parseDouble}. */
    private static final int EXP_LIMIT = 100_000_000;

    private DecimalParser() {
    }

    /**
     * Parses the decimal number in {@code b[s, e)}. Returns NaN when the text is not a decimal number
     * in the accepted syntax; returns an infinity when it overflows. The result equals
     * {@code Double.parseDouble} on the same text, bit for bit.
     *
     * <p>Up to {@value #MAX_DIGITS} digits are gathered into one unsigned 64-bit integer {@code w}, so
     * that the text denotes {@code w * 10^q} exactly; {@link #toDouble} then rounds that correctly. Longer
     * digit strings go through {@link #manyDigits}.
     */
    public static double parse(byte[] b, int s, int e) {
        int i = s;
        if (i >= e) {
            return Double.NaN;
        }
        boolean negative = false;
        byte c = b[i];
        if (c == '-') {
            negative = true;
            i++;
        } else if (c == '+') {
            i++;
        }
        // All digits, leading zeros included, go into w; leading zeros leave it unchanged, so w is
        // exact whenever there are at most MAX_DIGITS digits (10^19 - 1 < 2^64; the arithmetic wraps
        // modulo 2^64, which is harmless as long as the true value fits, and is ignored otherwise).
        int intStart = i;
        int intEnd = digitRunEnd(b, i, e);
        long w = accumulate(b, intStart, intEnd, 0);
        i = intEnd;
        int fracStart = i;
        int fracEnd = i;
        if (i < e && b[i] == '.') {
            fracStart = i + 1;
            fracEnd = digitRunEnd(b, fracStart, e);
            w = accumulate(b, fracStart, fracEnd, w);
            i = fracEnd;
        }
        int digits = (intEnd - intStart) + (fracEnd - fracStart);
        if (digits == 0) {
            return Double.NaN;
        }
        int exp = 0;
        if (i < e && (b[i] == 'e' || b[i] == 'E')) {
            i++;
            boolean expNegative = false;
            if (i < e && (b[i] == '-' || b[i] == '+')) {
                expNegative = b[i] == '-';
                i++;
            }
            int expStart = i;
            while (i < e) {
                int d = b[i] - '0';
                if (d < 0 || d > 9) {
                    break;
                }
                if (exp < EXP_LIMIT) { // saturate: such exponents go to the fallback
                    exp = exp * 10 + d;
                }
                i++;
            }
            if (i == expStart) {
                return Double.NaN;
            }
            if (expNegative) {
                exp = -exp;
            }
        }
        if (i != e) {
            return Double.NaN;
        }
        if (exp >= EXP_LIMIT || exp <= -EXP_LIMIT) {
            // Absurd exponent (beyond any digit count we could offset it with here): let the JDK
            // sort it out. The text matched our grammar, a subset of what parseDouble accepts.
            return jdkParse(b, s, e);
        }
        long q = (long) exp - (fracEnd - fracStart);
        double v;
        if (digits > MAX_DIGITS) {
            v = manyDigits(b, intStart, intEnd, fracStart, fracEnd, q);
        } else if (w == 0) {
            v = 0.0;
        } else {
            v = toDouble(w, q);
        }
        if (v != v) { // undecided
            return jdkParse(b, s, e);
        }
        return negative ? -v : v;
    }

    /** Whether all eight bytes of {@code chunk} are ASCII digits. */
    static boolean eightDigits(long chunk) {
        // every high nibble must be 3; then adding 6 to each byte keeps it below 0x40 exactly when
        // its low nibble is at most 9 (no byte can carry into the next: 0x3F + 6 < 0x100)
        return (chunk & 0xF0F0F0F0F0F0F0F0L) == 0x3030303030303030L
                && ((chunk + 0x0606060606060606L) & 0xF0F0F0F0F0F0F0F0L) == 0x3030303030303030L;
    }

    /**
     * The number spelled by eight ASCII digits read little-endian (first digit in the lowest byte),
     * combined two lanes at a time instead of one digit after another.
     */
    static long eightDigitValue(long chunk) {
        long x = chunk - 0x3030303030303030L; // byte j holds digit j
        // byte j becomes 10 * digit j + digit j+1 (at most 99: nothing spills); keep even j only
        x = x * 10 + (x >>> 8);
        long pairs02 = x & 0x000000FF000000FFL;         // pair 0 in bits 0.., pair 2 in bits 32..
        long pairs13 = (x >>> 16) & 0x000000FF000000FFL; // pair 1 and pair 3 likewise
        // bits 32..63 of the sum receive 10^6 * pair0 + 10^4 * pair1 + 100 * pair2 + pair3 < 2^32;
        // the low halves (100 * pair0 + pair1) cannot carry into them, and the rest overflows away
        return (pairs02 * (100L + (1_000_000L << 32)) + pairs13 * (1L + (10_000L << 32))) >>> 32;
    }

    /** End of the run of ASCII digits starting at i (i itself when there is none). */
    private static int digitRunEnd(byte[] b, int i, int e) {
        while (e - i >= 8 && eightDigits((long) LONG_LE.get(b, i))) {
            i += 8;
        }
        while (i < e && b[i] >= '0' && b[i] <= '9') {
            i++;
        }
        return i;
    }

    /** w * 10^(to - from) + the digits b[from, to), modulo 2^64; eight digits at a time where possible. */
    private static long accumulate(byte[] b, int from, int to, long w) {
        int i = from;
        while (to - i >= 8) {
            w = w * 100_000_000L + eightDigitValue((long) LONG_LE.get(b, i));
            i += 8;
        }
        while (i < to) {
            w = w * 10 + (b[i] - '0');
            i++;
        }
        return w;
    }

    /** {@code Double.parseDouble} on ASCII text that already matched our grammar. */
    private static double jdkParse(byte[] b, int s, int e) {
        return Double.parseDouble(new String(b, s, e - s, StandardCharsets.ISO_8859_1));
    }

    /**
     * The double nearest to {@code w * 10^q} (ties to even), for {@code w != 0} read as an unsigned
     * 64-bit integer; NaN when the fast methods cannot decide (the caller falls back). Never negative.
     */
    static double toDouble(long w, long q) {
        if (q >= -22 && q <= 22 && (w >>> 53) == 0) {
            // Clinger: w and 10^|q| are both exact doubles, so one correctly rounded IEEE operation
            // gives the correctly rounded value of the exact quotient or product.
            double v = (double) w;
            return q >= 0 ? v * POW10[(int) q] : v / POW10[(int) -q];
        }
        double v = eiselLemire(w, q);
        return v == v ? v : exactOrTie(w, q);
    }

    /**
     * Second try for what {@link #eiselLemire} left undecided. For {@code q < 0} it cannot tell an
     * exact value or an exact tie from a near miss, and both happen only when {@code 5^-q} divides
     * {@code w} (so only for {@code q >= -27}, as {@code 5^28 > 2^64}); for example
     * {@code 1.0000000000000000} or {@code 4503599627370496.5}. Then {@code w * 10^q} equals
     * {@code (w / 5^-q) * 2^q}, whose product with {@code 5^0} is exact, and the final scaling by a
     * power of two is exact because the result is at least {@code 2^-27}. Anything else (ties are
     * impossible there; only near misses of order {@code 2^-64} remain) stays NaN.
     */
    private static double exactOrTie(long w, long q) {
        if (q >= -27 && q < 0) {
            long p = POW5[(int) -q];
            if (Long.remainderUnsigned(w, p) == 0) {
                double v = eiselLemire(Long.divideUnsigned(w, p), 0); // exact product: never NaN
                return Math.scalb(v, (int) q);
            }
        }
        return Double.NaN;
    }

    /**
     * Handles more than {@value #MAX_DIGITS} digits (leading zeros included): keeps the first
     * {@value #MAX_DIGITS} significant digits as {@code w}. If every dropped digit is zero the value is
     * exactly {@code w * 10^q'}; otherwise it lies strictly between {@code w * 10^q'} and
     * {@code (w + 1) * 10^q'}, and when both bounds round to the same double, so does the value
     * (rounding is monotonic). Returns NaN when that does not settle it.
     */
    private static double manyDigits(byte[] b, int intStart, int intEnd, int fracStart, int fracEnd, long q) {
        long w = 0;
        int sig = 0;
        long dropped = 0;
        boolean inexact = false;
        for (int part = 0; part < 2; part++) {
            int from = part == 0 ? intStart : fracStart;
            int to = part == 0 ? intEnd : fracEnd;
            for (int i = from; i < to; i++) {
                int d = b[i] - '0';
                if (sig < MAX_DIGITS) {
                    if (sig > 0 || d != 0) {
                        w = w * 10 + d;
                        sig++;
                    }
                } else {
                    dropped++;
                    inexact |= d != 0;
                }
            }
        }
        if (sig == 0) {
            return 0.0;
        }
        q += dropped;
        if (!inexact) {
            return toDouble(w, q);
        }
        // w has exactly 19 digits here, so w + 1 <= 10^19 still fits an unsigned long
        double lower = toDouble(w, q);
        double upper = toDouble(w + 1, q);
        return lower == upper ? lower : Double.NaN; // also NaN when either is NaN
    }

    /** Unsigned high 64 bits of the 128-bit product {@code a * b}. */
    static long unsignedMultiplyHigh(long a, long b) {
        // For a negative signed long, the unsigned value is a + 2^64; the extra cross terms
        // 2^64 * b and 2^64 * a land exactly in the high word (2^128 * ... vanishes modulo 2^128).
        return Math.multiplyHigh(a, b) + ((a >> 63) & b) + ((b >> 63) & a);
    }

    /**
     * Eisel-Lemire conversion (D. Lemire, "Number Parsing at a Gigabyte per Second", Software:
     * Practice and Experience 51(8), 2021): the double nearest to {@code w * 10^q}, ties to even, for
     * unsigned {@code w != 0}; NaN when the 128-bit approximation cannot settle the rounding.
     *
     * <p>With {@code W = w << lz} normalized (top bit set) and {@code T} the 128-bit truncated power
     * {@code 5^q * 2^k} of {@link Pow5}, the wanted significand is the top of {@code W * T}. We keep its
     * top 128 bits {@code P = hi:lo}; the second multiplication (by the low word of T) is done only
     * when the low 9 bits of {@code hi} are all ones, i.e. when its carry could reach the bits that
     * matter. Let the exact scaled value be {@code X}. Because {@code 0 <= 5^q * 2^k - T < 1} and
     * {@code W < 2^64}, {@code P <= X < P + 2} when both words of T were used, and
     * {@code P <= X < P + 2^64 + 1} otherwise (and then the low 9 bits of hi are not all ones).
     * Rounding reads the bits of {@code X} from the round bit up; they equal those of {@code P}
     * unless the bits of P below the round bit are all zero (X might then lie exactly on a tie, or
     * P be exact) or, with both words used, within 2 of all ones (a carry might still arrive). In
     * those cases we answer NaN, except when T is exact in its high word ({@code 0 <= q <= 27}): then
     * {@code P} is the exact product and ties are resolved to even. This is the algorithm's
     * documented failure test made exact for our error bound; Mushtak and Lemire ("Fast Number
     * Parsing Without Fallback", 2023) prove the product itself is always accurate enough, so only
     * exact values and ties with {@code q < 0} (see {@link #exactOrTie}) end up undecided.
     */
    static double eiselLemire(long w, long q) {
        if (q < Pow5.MIN_Q) {
            return 0.0; // w * 10^q < 2^64 * 10^-343 < 2^-1075: below half the least subnormal
        }
        if (q > Pow5.MAX_Q) {
            return Double.POSITIVE_INFINITY; // w * 10^q >= 10^309
        }
        int k = (int) q - Pow5.MIN_Q;
        int lz = Long.numberOfLeadingZeros(w);
        w <<= lz;
        long tHi = Pow5.HI[k];
        long tLo = Pow5.LO[k];
        long hi = unsignedMultiplyHigh(w, tHi);
        long lo = w * tHi;
        boolean twoWords = false;
        if ((hi & 0x1FF) == 0x1FF) {
            long carryIn = unsignedMultiplyHigh(w, tLo);
            long sum = lo + carryIn;
            if (Long.compareUnsigned(sum, lo) < 0) {
                hi++;
            }
            lo = sum;
            twoWords = true;
        }
        boolean exact = tLo == 0; // 0 <= q <= 27: T = 5^q * 2^k exactly, so hi:lo = W * T exactly
        int top = (int) (hi >>> 63); // W * T is in [2^190, 2^192): its top bit is bit 126 or 127 of P
        int exp2 = Pow5.EXP[k] + top - lz; // biased exponent of the leading bit
        int shift = top + 9; // bits of hi below the round bit, for a 53-bit significand
        if (exp2 <= 0) {
            // subnormal: the significand ends at 2^-1074, 1 - exp2 bits further up
            shift += 1 - exp2;
            if (shift >= 64) {
                return 0.0; // X < 2^128 <= 2^(64 + shift): even the round bit is zero
            }
        }
        long a = hi >>> shift; // significand followed by the round bit
        long belowMask = (1L << shift) - 1;
        long below = hi & belowMask;
        long m;
        if (below == 0 && lo == 0) {
            if (!exact) {
                return Double.NaN; // a tie or an exact value cannot be told from a near miss
            }
            m = (a >>> 1) + (a & (a >>> 1) & 1); // exact: on a tie round to even
        } else {
            if (twoWords && !exact && below == belowMask && Long.compareUnsigned(lo, -2L) >= 0) {
                return Double.NaN; // a carry from the ignored bits could change the round bit
            }
            m = (a >>> 1) + (a & 1); // the bits below the round bit are not all zero: no tie
        }
        if (exp2 <= 0) {
            return Double.longBitsToDouble(m); // m <= 2^52, and 2^52 is the least normal's pattern
        }
        if (m == 1L << 53) { // rounding carried into a new bit
            m = 1L << 52;
            exp2++;
        }
        if (exp2 >= 0x7FF) {
            return Double.POSITIVE_INFINITY;
        }
        return Double.longBitsToDouble(((long) exp2 << 52) | (m & ((1L << 52) - 1)));
    }

    /**
     * Powers of five for {@link #eiselLemire}, generated with exact integer arithmetic on first use.
     * For each {@code q} in [{@value #MIN_Q}, {@value #MAX_Q}], {@code HI:LO} is the 128-bit integer
     * {@code floor(5^q * 2^k)} with {@code k} chosen so that its top bit is bit 127 (truncated, never
     * rounded up), and {@code EXP} is {@code floor(log2(10^q)) + 63 + 1023}: the biased binary
     * exponent of {@code w * 10^q} when the 192-bit product {@code (w << lz) * T} has its top bit at
     * bit 190, to which the caller adds that top bit position and subtracts {@code lz}.
     */
    static final class Pow5 {
        /** Below this, {@code w * 10^q} rounds to zero for every {@code w < 2^64}. */
        static final int MIN_Q = -342;
        /** Above this, {@code w * 10^q} overflows for every {@code w >= 1}. */
        static final int MAX_Q = 308;
        static final long[] HI = new long[MAX_Q - MIN_Q + 1];
        static final long[] LO = new long[MAX_Q - MIN_Q + 1];
        static final int[] EXP = new int[MAX_Q - MIN_Q + 1];

        static {
            BigInteger mask64 = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);
            BigInteger five = BigInteger.valueOf(5);
            BigInteger power = BigInteger.ONE; // 5^|q|
            for (int n = 0; n <= -MIN_Q; n++) {
                int bits = power.bitLength(); // 2^(bits-1) <= 5^n < 2^bits
                if (n <= MAX_Q) {
                    // 5^n itself, shifted so that bit 127 is its leading one (cutting low bits off)
                    BigInteger t = bits <= 128 ? power.shiftLeft(128 - bits) : power.shiftRight(bits - 128);
                    store(n, t, n + bits - 1, mask64);
                }
                if (n > 0) {
                    // 5^-n * 2^(bits + 127) lies in (2^127, 2^128) since 5^n is not a power of two
                    BigInteger t = BigInteger.ONE.shiftLeft(bits + 127).divide(power);
                    store(-n, t, -n - bits, mask64);
                }
                power = power.multiply(five);
            }
        }

        /** floorLog2 is floor(log2(10^q)) = q + floor(log2(5^q)). */
        private static void store(int q, BigInteger t, int floorLog2, BigInteger mask64) {
            if (t.bitLength() != 128) {
                throw new AssertionError("power of five not normalized: q = " + q);
            }
            int k = q - MIN_Q;
            HI[k] = t.shiftRight(64).longValue();
            LO[k] = t.and(mask64).longValue();
            EXP[k] = floorLog2 + 63 + 1023;
        }

        private Pow5() {
        }
    }
}

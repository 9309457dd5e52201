package org.remcg.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Correct rounding of {@link DecimalParser#parse}: every result must equal
 * {@link Double#parseDouble} bit for bit, whichever internal path (Clinger, Eisel-Lemire, the
 * 19-digit bound check, the JDK fallback) produced it.
 */
class NumberParsingTest {

    /** Digits placed after the end of the field: a parser that reads past its end would see them. */
    private static final String TRAP = "98765432109876543210";

    /** Compares one text with the JDK; records a mismatch instead of failing at once. */
    private static final class Checker {
        final AtomicLong checks = new AtomicLong();
        final AtomicLong mismatches = new AtomicLong();
        final ConcurrentLinkedQueue<String> examples = new ConcurrentLinkedQueue<>();

        void check(String text) {
            long want = Double.doubleToRawLongBits(Double.parseDouble(text));
            long got = Double.doubleToRawLongBits(parse(text));
            checks.incrementAndGet();
            if (got != want) {
                mismatches.incrementAndGet();
                if (examples.size() < 20) {
                    examples.add("'" + text + "' -> " + Double.longBitsToDouble(got) + " (bits " + Long.toHexString(got)
                            + "), the JDK gives " + Double.longBitsToDouble(want) + " (bits " + Long.toHexString(want) + ")");
                }
            }
        }

        void assertClean(long minimumChecks) {
            if (mismatches.get() != 0) {
                fail(mismatches.get() + " of " + checks.get() + " texts differ from Double.parseDouble, e.g.\n"
                        + String.join("\n", examples));
            }
            assertTrue(checks.get() >= minimumChecks, "only " + checks.get() + " checks");
        }
    }

    /** Parses {@code text} placed inside a larger buffer, with digits right after its end. */
    private static double parse(String text) {
        byte[] b = ("x" + text + TRAP).getBytes(StandardCharsets.ISO_8859_1);
        return DecimalParser.parse(b, 1, 1 + text.length());
    }

    private static void assertSameAsJdk(String text) {
        long want = Double.doubleToRawLongBits(Double.parseDouble(text));
        long got = Double.doubleToRawLongBits(parse(text));
        assertEquals(Long.toHexString(want), Long.toHexString(got), () -> "'" + text + "' parsed as " + Double.longBitsToDouble(got)
                + ", the JDK gives " + Double.longBitsToDouble(want));
    }

    // ------------------------------------------------------------------------------------------
    // Random values over the whole range
    // ------------------------------------------------------------------------------------------

    /** A finite double drawn from a mix that covers every binade, subnormals and both ends. */
    private static double randomDouble(SplittableRandom r) {
        double x;
        switch (r.nextInt(8)) {
            case 0:
            case 1: { // any finite bit pattern: uniform over the binary exponents
                long bits;
                do {
                    bits = r.nextLong() & Long.MAX_VALUE;
                } while (bits >= 0x7FF0000000000000L);
                x = Double.longBitsToDouble(bits);
                break;
            }
            case 2: // subnormal, mostly with full-length significands, sometimes tiny ones
                x = Double.longBitsToDouble(r.nextBoolean() ? r.nextLong(1, 1L << 52) : r.nextLong(1, 1 << 12));
                break;
            case 3: // around the least normal number
                x = Double.longBitsToDouble(0x0010000000000000L + r.nextLong(-(1L << 36), 1L << 36));
                break;
            case 4: // just below the largest finite value
                x = Double.longBitsToDouble(0x7FEFFFFFFFFFFFFFL - r.nextLong(1L << 40));
                break;
            case 5: // what the density benchmark writes
                x = (r.nextBoolean() ? 1 : -1) + 0.35 * nextGaussian(r);
                break;
            case 6: // moderate magnitudes with a random decimal scale
                x = r.nextDouble() * Math.pow(10, r.nextInt(-40, 41));
                break;
            default: // short decimals (their shortest spelling is short)
                x = Double.parseDouble(r.nextLong(1, 100_000_000L) + "e" + r.nextInt(-330, 300));
                break;
        }
        return r.nextBoolean() ? -x : x;
    }

    private static double nextGaussian(SplittableRandom r) {
        double u = 1 - r.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * r.nextDouble());
    }

    /** Index just after the last significand digit of a Double.toString / %e spelling. */
    private static int significandEnd(String s) {
        int e = s.indexOf('E');
        if (e < 0) {
            e = s.indexOf('e');
        }
        return e < 0 ? s.length() : e;
    }

    @Test
    void twoMillionRandomDoublesInManySpellings() {
        Checker checker = new Checker();
        int chunks = 64;
        int perChunk = 2_000_000 / chunks;
        IntStream.range(0, chunks).parallel().forEach(chunk -> {
            SplittableRandom r = new SplittableRandom(0x5EED0000L + chunk);
            for (int n = 0; n < perChunk; n++) {
                double x = randomDouble(r);
                String shortest = Double.toString(x);
                // the round trip itself must be exact
                if (Double.doubleToRawLongBits(parse(shortest)) != Double.doubleToRawLongBits(x)) {
                    checker.mismatches.incrementAndGet();
                    checker.examples.add("'" + shortest + "' does not round-trip to " + x);
                }
                checker.check(shortest);
                checker.check(String.format(Locale.ROOT, "%.17g", x));
                checker.check(String.format(Locale.ROOT, "%.16e", x));
                checker.check(String.format(Locale.ROOT, "%.19e", x)); // 20 digits: the bound check

                int end = significandEnd(shortest);
                String head = shortest.substring(0, end);
                String tail = shortest.substring(end);
                // a different last digit: usually not the shortest spelling of anything
                char last = head.charAt(head.length() - 1);
                char other = (char) ('0' + (last - '0' + 1 + r.nextInt(9)) % 10);
                checker.check(head.substring(0, head.length() - 1) + other + tail);
                // extra digits: values between x and its neighbours, some near the halfway points
                String[] extras = {Integer.toString(r.nextInt(10)), Integer.toString(r.nextInt(1000)), "5", "49", "51"};
                checker.check(head + extras[r.nextInt(extras.length)] + tail);
                // one digit fewer (if that leaves a digit after the point)
                if (head.length() - head.indexOf('.') > 2) {
                    checker.check(head.substring(0, head.length() - 1) + tail);
                }
            }
        });
        checker.assertClean(12_000_000);
    }

    /**
     * Decimal spellings of the exact midpoint between a double and its successor, cut to 15..22
     * significant digits and moved by one unit in the last digit: the hardest inputs for rounding.
     * The full midpoint is an exact tie and is checked as well.
     */
    @Test
    void textsNearHalfwayPoints() {
        Checker checker = new Checker();
        int chunks = 32;
        IntStream.range(0, chunks).parallel().forEach(chunk -> {
            SplittableRandom r = new SplittableRandom(0xBA1FL + chunk);
            for (int n = 0; n < 4_000; n++) {
                double x = Math.abs(randomDouble(r));
                double y = Math.nextUp(x);
                if (!Double.isFinite(y)) {
                    // midpoint between MAX_VALUE and 2^1024: the overflow threshold
                    checkAroundMidpoint(checker, new BigDecimal(x).add(new BigDecimal(Math.ulp(x)).divide(BigDecimal.valueOf(2))), r);
                    continue;
                }
                BigDecimal mid = new BigDecimal(x).add(new BigDecimal(y)).divide(BigDecimal.valueOf(2));
                checkAroundMidpoint(checker, mid, r);
            }
        });
        checker.assertClean(32 * 4_000 * 20);
    }

    private static void checkAroundMidpoint(Checker checker, BigDecimal mid, SplittableRandom r) {
        String sign = r.nextInt(4) == 0 ? "-" : "";
        String digits = mid.unscaledValue().toString();
        int scale = mid.scale();
        checker.check(sign + mid.toString());
        if (Math.abs(mid.precision() - mid.scale()) < 60) { // plain spelling of moderate length
            checker.check(sign + mid.toPlainString());
        }
        for (int keep = 15; keep <= 22 && keep <= digits.length(); keep++) {
            BigInteger head = new BigInteger(digits.substring(0, keep));
            int exp10 = digits.length() - keep - scale;
            for (int delta = -1; delta <= 1; delta++) {
                String h = head.add(BigInteger.valueOf(delta)).toString();
                checker.check(sign + h + "e" + exp10);
                // same value with a decimal point after the first digit
                checker.check(sign + h.charAt(0) + "." + h.substring(1) + "e" + (exp10 + h.length() - 1));
            }
        }
        // the midpoint's digits followed by more digits: just above the tie
        checker.check(sign + digits + "1e" + (-scale - 1));
    }

    /** Every power of ten in the table, with significands of every length from 1 to 19 digits. */
    @Test
    void everyDecimalExponentWithManySignificands() {
        Checker checker = new Checker();
        SplittableRandom r = new SplittableRandom(42);
        for (int q = -360; q <= 330; q++) {
            for (int len = 1; len <= 19; len++) {
                long lo = len == 1 ? 1 : pow10(len - 1);
                for (int k = 0; k < 6; k++) {
                    long w;
                    if (len == 19) {
                        w = k == 0 ? lo : r.nextLong(lo, Long.MAX_VALUE); // up to 2^63 - 1
                    } else {
                        long hi = pow10(len);
                        w = k == 0 ? lo : k == 1 ? hi - 1 : r.nextLong(lo, hi);
                    }
                    checker.check(w + "e" + q);
                }
            }
            // 19-digit significands above 2^63 (negative as a signed long)
            checker.check("9999999999999999999e" + q);
            checker.check(Long.toUnsignedString(-1L - r.nextLong(1L << 62)).substring(0, 19) + "e" + q);
            // powers of two and of five as significands (exact products, ties)
            checker.check((1L << r.nextInt(1, 63)) + "e" + q);
            checker.check(BigInteger.valueOf(5).pow(r.nextInt(1, 28)) + "e" + q);
        }
        checker.assertClean(691 * 19 * 6);
    }

    private static long pow10(int n) {
        long p = 1;
        for (int i = 0; i < n; i++) {
            p *= 10;
        }
        return p;
    }

    /** Each binary exponent, with a random significand, spelled near and exactly at its midpoints. */
    @Test
    void everyBinaryExponentNearItsMidpoints() {
        Checker checker = new Checker();
        SplittableRandom r = new SplittableRandom(7);
        for (int biased = 0; biased <= 0x7FE; biased++) {
            for (int k = 0; k < 3; k++) {
                long frac = k == 0 ? 0 : k == 1 ? (1L << 52) - 1 : r.nextLong(1L << 52);
                double x = Double.longBitsToDouble(((long) biased << 52) | frac);
                if (x == 0) {
                    continue;
                }
                checker.check(Double.toString(x));
                checker.check(String.format(Locale.ROOT, "%.17g", x));
                double y = Math.nextUp(x);
                BigDecimal mid = Double.isFinite(y)
                        ? new BigDecimal(x).add(new BigDecimal(y)).divide(BigDecimal.valueOf(2))
                        : new BigDecimal(x).add(new BigDecimal(Math.ulp(x)).divide(BigDecimal.valueOf(2)));
                checkAroundMidpoint(checker, mid, r);
            }
        }
        checker.assertClean(2046 * 3 * 40);
    }

    // ------------------------------------------------------------------------------------------
    // Known hard cases
    // ------------------------------------------------------------------------------------------

    @Test
    void knownHardCases() {
        String[] cases = {
            // integers around 2^53, 2^63 and 2^64
            "9007199254740992", "9007199254740993", "9007199254740994", "9007199254740995", "9007199254740996",
            "9007199254740993.0", "900719925474099.3e1", "90071992547409930e-1", "9007199254740993e0",
            "9007199254740992.5", "9007199254740993.5", "4503599627370496.5", "4503599627370497.5",
            "18014398509481985", "18014398509481986", "18014398509481987",
            "9223372036854775807", "9223372036854775808", "9223372036854775809", "9999999999999999999",
            "10000000000000000000", "18446744073709551615", "18446744073709551616", "99999999999999999999",
            "123456789012345678", "1234567890123456789", "12345678901234567890", "123456789012345678901234567890",
            // ties with a positive power of ten (the product with 5^q is exact for q <= 27)
            "1e23", "1E23", "1.0e23", "10e22", "100000000000000000000000", "7000000000000000000e4", "7e22",
            "8.5e22", "9.5e22", "3e23", "1e24", "4.5035996273704965e15",
            // values exactly representable but spelled with many digits
            "0.50000000000000000", "1.0000000000000000", "1.00000000000000000000000000", "0.1000000000000000055511151231257827021181583404541015625",
            "0.125000000000000000000", "1024.0000000000000000", "3.0000000000000000e-5",
            // around 1: the tie 1 + 2^-53 and its neighbours
            "1.00000000000000011102230246251565404236316680908203125",
            "1.00000000000000011102230246251565404236316680908203124",
            "1.00000000000000011102230246251565404236316680908203126",
            "1.0000000000000001110223024625156540", "1.0000000000000001110223024625156541",
            "0.99999999999999994448884876874217297881841659545898437", "0.999999999999999944488848768742172978818416595458984375",
            "0.500000000000000166533453693773481063544750213623046875", "3.518437208883201171875e13",
            "62.5364939768271845828", "8.10109172351e-10", "1.448997445238699", "7.3177701707893310e+15",
            "1.7694296127617483e-19", "9.109e-31", "6.02214076e23", "6.62607015e-34", "2.718281828459045235360287",
            "3.141592653589793238462643383279502884197", "0.3", "0.30000000000000004", "0.29999999999999998",
            // smallest numbers: subnormals and the underflow threshold
            "4.9e-324", "5e-324", "4.9406564584124654e-324", "4.9406564584124654417656879286822137236505980e-324",
            "2.4703282292062327e-324", "2.4703282292062328e-324", "2.47032822920623272088e-324",
            "2.4703282292062327208828439643411068618252990130716238221279284125033775363510437593264991818081799618989828234772285886546332835517796989819938739800539093906315035659515570226392290858392449105184435931802849936536152500319370457678249219365623669863658480757001585769269903706311928279558551332927834338409351978015531246597263579574622766465272827220056374006485499977096599470454020828166226237857393450736339007967761930577506740176324673600968951340535537458516661134223766678604162159680461914467291840300530057530849048765391711386591646239524912623653881879636239373280423891018672348497668235089863388587925628302755995657524455507255189313690836254779186948667994968324049705821028513185451396213837722826145437693412532098591327667236328125e-324",
            "2.4703282292062327208828439643411068618252990130716238221279284125033775363510437593264991818081799618989828234772285886546332835517796989819938739800539093906315035659515570226392290858392449105184435931802849936536152500319370457678249219365623669863658480757001585769269903706311928279558551332927834338409351978015531246597263579574622766465272827220056374006485499977096599470454020828166226237857393450736339007967761930577506740176324673600968951340535537458516661134223766678604162159680461914467291840300530057530849048765391711386591646239524912623653881879636239373280423891018672348497668235089863388587925628302755995657524455507255189313690836254779186948667994968324049705821028513185451396213837722826145437693412532098591327667236328126e-324",
            "1e-324", "3e-324", "7.4e-324", "7.5e-324", "1e-323", "1.5e-323", "1e-320", "1e-310", "1e-400", "-1e-400",
            "1e-342", "1e-343", "9999999999999999999e-343", "9999999999999999999e-362", "1e-1000",
            // around the least normal number
            "2.2250738585072011e-308", "2.2250738585072012e-308", "2.2250738585072013e-308", "2.2250738585072014e-308",
            "2.2250738585072009e-308", "2.225073858507201e-308", "2.2250738585072008890245868760858598876504231122409594654935248025624400092282356951787758888037591552642309780950434312085877387158357291821993020294379224223559819827501242041788969571311791082261043971979604000454897391938079198936081525613113376149842043271751033627391549782731594143828136275113838604094249464942286316695429105080201815926642134996606517803095075913058719846423906068637102005108723282784678843631944515866135041223479014792369585208321597621066375401613736583044193603714778355306682834535634005074073040135602968046375918583163124224521599262546494300836851861719422417646455137135420132217031370496583210154654068035397417906022589503023501937519773030945763173210852507299305089761582519159720757232455434770912461317493580281734466552734375e-308",
            "2.2250738585072011360574097967091319759348195463516456480234261097248222220210769455165295239081350879141491589130396211068700864386945946455276572074078206217433799881410632673292535522868813721490129811224514518898490572223072852551331557550159143974763979834118019993239625482890171070818506906306666559949382757725720157630626906633326475653000092458883164330377797918696120494973903778297049050510806099407302629371289589500035837999672072543043602840788957717961509455167482434710307026091446215722898802581825451803257070188608721131280795122334262883686223215037756666225039825343359745688844239002654981983854879482922068947216898310996983658468140228542433306603398508864458040010349339704275671864433837704860378616227717385456230658746790140867233276367187499e-308",
            "2.22507385850720113605740979670913197593481954635164564802342610972482222202107694551652952390813508791414915891303962110687008643869459464552765720740782062174337998814106326732925355228688137214901298112245145188984905722230728525513315575501591439747639798341180199932396254828901710708185069063066665599493827577257201576306269066333264756530000924588831643303777979186961204949739037782970490505108060994073026293712895895000358379996720725430436028407889577179615094551674824347103070260914462157228988025818254518032570701886087211312807951223342628836862232150377566662250398253433597456888442390026549819838548794829220689472168983109969836584681402285424333066033985088644580400103493397042756718644338377048603786162277173854562306587467901408672332763671875e-308",
            // the largest numbers and the overflow threshold (2^1024 - 2^970 = MAX + ulp/2)
            "1.7976931348623157e308", "1.7976931348623158e308", "1.7976931348623159e308", "1.797693134862315807e308",
            "1.797693134862315708145274237317043567981e308", "1.797693134862315807937289714053034150799e308",
            "1.797693134862315807937289714053034150798e308", "1.7976931348623158079372897140530341507993413271003782693617377898044496829276475094664736817e308",
            "1.7976931348623158079372897140530341507993413271003782693617377898044496829276475094664736816e308",
            "179769313486231570000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
                + "0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
                + "0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
                + "00000000000000000000000000000000000000000000000000000000000000000000000000000",
            "8.98846567431158e307", "8.988465674311579e307", "8.9884656743115795e307", "8.98846567431157953864652595394512366e307",
            "1e308", "1e309", "10e308", "0.1e309", "0.001e311", "100000e303", "1000000e303", "9999999999999999999e289",
            "9999999999999999999e290", "1e400", "-1e400", "1e-5", "-1.7976931348623159e308",
            // zeros
            "0", "-0", "+0", "0.0", "-0.0", "00000", "0e0", "0e999", "-0e-999", "0.0000000000000000000000000000e5",
            "-000000000000000000000000.000000000000000000000e-5", "0e100000000", "0e-99999999999",
            // enormous exponents (left to the JDK) and huge digit counts offsetting them
            "1e100000000", "1e-100000000", "1e99999999", "1e-99999999", "1e2147483647", "1e2147483648",
            "1e99999999999999999999", "1e-99999999999999999999", "-1e99999999999", "0.000000001e100000010",
            "1" + "0".repeat(400) + "e-400", "0." + "0".repeat(400) + "1e401", "0." + "0".repeat(330) + "1",
            "1" + "0".repeat(330), "2" + "0".repeat(308), "1" + "0".repeat(309),
            // signs and spellings
            "+1.5", "-1.5", "+.5", "-.5", "5.", "-5.", "1E+5", "1e-05", "1e+005", ".000123", "123.", "12345.6789e-3",
            // eight-digit groups in the integer part, the fraction and across the point
            "12345678", "123456789", "1234567812345678", "12345678.12345678", "0.12345678", "0.1234567812345678",
            "99999999.99999999", "00000000.00000001", "1234567.8", "12345678901234567.8",
        };
        for (String s : cases) {
            assertSameAsJdk(s);
            if (!s.startsWith("-") && !s.startsWith("+")) {
                assertSameAsJdk("-" + s);
            }
        }
        // spot checks of the expected values themselves
        assertEquals(Double.MAX_VALUE, parse("1.7976931348623158e308"));
        assertEquals(Double.POSITIVE_INFINITY, parse("1.7976931348623159e308"));
        assertEquals(Double.NEGATIVE_INFINITY, parse("-1.7976931348623159e308"));
        assertEquals(Double.MIN_VALUE, parse("4.9e-324"));
        assertEquals(9007199254740992.0, parse("9007199254740993"));
        assertEquals(9007199254740992.0, parse("9007199254740992.5"));
        assertEquals(9.999999999999999e22, parse("1e23"));
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(parse("-1e-400")));
    }

    @Test
    void malformedTextStaysRejected() {
        for (String s : new String[] {"", "+", "-", ".", "e1", "1e", "1e-", "1e+", "0x10", "NaN", "Infinity", "1f",
            "1 ", " 1", "1..2", "1.2.3", "12345678a", "1234567a8", "a2345678", "12345678/", "1234567:",
            "123456789012345678901234x", "1.234567890123456789012x", "1e5x", "--1", "+-1", "1e--1", "١٢٣"}) {
            byte[] b = (s + TRAP).getBytes(StandardCharsets.UTF_8);
            int end = b.length - TRAP.length();
            assertTrue(Double.isNaN(DecimalParser.parse(b, 0, end)), "should reject '" + s + "'");
        }
        // bytes just outside '0'..'9' inside otherwise digit-only groups of eight
        SplittableRandom r = new SplittableRandom(3);
        byte[] odd = {'/', ':', (byte) 0xB0, (byte) 0xB9, (byte) 0x80, 'p', ' ', 0, 0x10, 0x20, 0x3A, 0x3F, '@', '`'};
        for (int n = 0; n < 20_000; n++) {
            int len = r.nextInt(1, 30);
            byte[] b = new byte[len + TRAP.length()];
            for (int i = 0; i < len; i++) {
                b[i] = (byte) ('0' + r.nextInt(10));
            }
            b[r.nextInt(len)] = odd[r.nextInt(odd.length)];
            System.arraycopy(TRAP.getBytes(StandardCharsets.US_ASCII), 0, b, len, TRAP.length());
            String text = new String(b, 0, len, StandardCharsets.ISO_8859_1);
            assertTrue(Double.isNaN(DecimalParser.parse(b, 0, len)), () -> "should reject " + text);
        }
    }

    // ------------------------------------------------------------------------------------------
    // Building blocks
    // ------------------------------------------------------------------------------------------

    @Test
    void unsignedMultiplyHighMatchesBigInteger() {
        SplittableRandom r = new SplittableRandom(11);
        long[] special = {0, 1, 2, -1, -2, Long.MAX_VALUE, Long.MIN_VALUE, Long.MIN_VALUE + 1, 0xFFFFFFFFL, 1L << 32,
            0x8000000000000001L, 0x7FFFFFFFFFFFFFFEL};
        List<long[]> pairs = new ArrayList<>();
        for (long a : special) {
            for (long b : special) {
                pairs.add(new long[] {a, b});
            }
        }
        for (int n = 0; n < 200_000; n++) {
            pairs.add(new long[] {r.nextLong(), r.nextLong()});
        }
        for (long[] p : pairs) {
            BigInteger product = unsigned(p[0]).multiply(unsigned(p[1]));
            long want = product.shiftRight(64).longValue();
            assertEquals(want, DecimalParser.unsignedMultiplyHigh(p[0], p[1]), () -> Long.toHexString(p[0]) + " * " + Long.toHexString(p[1]));
        }
    }

    private static BigInteger unsigned(long v) {
        return new BigInteger(Long.toUnsignedString(v));
    }

    /** Each entry is floor(5^q * 2^k) with bit 127 on top, and its exponent is floor(log2(10^q)) + 1086. */
    @Test
    void powerOfFiveTableIsTheTruncatedPower() {
        assertEquals(-342, DecimalParser.Pow5.MIN_Q);
        assertEquals(308, DecimalParser.Pow5.MAX_Q);
        for (int q = DecimalParser.Pow5.MIN_Q; q <= DecimalParser.Pow5.MAX_Q; q++) {
            int i = q - DecimalParser.Pow5.MIN_Q;
            BigInteger t = unsigned(DecimalParser.Pow5.HI[i]).shiftLeft(64).or(unsigned(DecimalParser.Pow5.LO[i]));
            assertEquals(128, t.bitLength(), "q = " + q);
            BigInteger p5 = BigInteger.valueOf(5).pow(Math.abs(q));
            // floor(log2(5^q)) without the table's own method: compare with powers of two
            int floorLog2Of5q = q >= 0 ? p5.bitLength() - 1 : -p5.bitLength(); // 5^|q| is no power of two
            int k = 127 - floorLog2Of5q; // t ~ 5^q * 2^k
            // t <= 5^q * 2^k < t + 1, multiplied through to integers
            if (q >= 0) {
                // k >= 0: t <= 5^q * 2^k < t + 1;  k < 0: t * 2^-k <= 5^q < (t + 1) * 2^-k
                BigInteger lhs = k >= 0 ? t : t.shiftLeft(-k);
                BigInteger mid = k >= 0 ? p5.shiftLeft(k) : p5;
                BigInteger rhs = k >= 0 ? t.add(BigInteger.ONE) : t.add(BigInteger.ONE).shiftLeft(-k);
                assertTrue(lhs.compareTo(mid) <= 0 && mid.compareTo(rhs) < 0, "q = " + q);
            } else {
                // t * 5^-q <= 2^k < (t + 1) * 5^-q
                BigInteger twoK = BigInteger.ONE.shiftLeft(k);
                assertTrue(t.multiply(p5).compareTo(twoK) <= 0 && twoK.compareTo(t.add(BigInteger.ONE).multiply(p5)) < 0, "q = " + q);
            }
            BigInteger p10 = BigInteger.TEN.pow(Math.abs(q));
            int floorLog2Of10q = q >= 0 ? p10.bitLength() - 1 : -p10.bitLength();
            assertEquals(floorLog2Of10q + 63 + 1023, DecimalParser.Pow5.EXP[i], "q = " + q);
            // the same as the usual fixed-point formula for floor(q * log2(10))
            assertEquals(floorLog2Of10q, (217706 * q) >> 16, "q = " + q);
        }
        // a few entries as published with the algorithm (where truncation and its table agree)
        assertEquals(0xeef453d6923bd65aL, DecimalParser.Pow5.HI[0]);
        assertEquals(0x113faa2906a13b3fL, DecimalParser.Pow5.LO[0]);
        assertEquals(0x8000000000000000L, DecimalParser.Pow5.HI[342]);
        assertEquals(0L, DecimalParser.Pow5.LO[342]);
        assertEquals(0x8e679c2f5e44ff8fL, DecimalParser.Pow5.HI[650]);
        assertEquals(0x570f09eaa7ea7648L, DecimalParser.Pow5.LO[650]);
    }

    @Test
    void eightDigitGroups() {
        SplittableRandom r = new SplittableRandom(5);
        byte[] alphabet = "0123456789/:.eE+- ".getBytes(StandardCharsets.US_ASCII);
        byte[] b = new byte[8];
        for (int n = 0; n < 300_000; n++) {
            boolean digitsOnly = r.nextInt(3) > 0;
            for (int i = 0; i < 8; i++) {
                b[i] = digitsOnly ? (byte) ('0' + r.nextInt(10))
                        : r.nextInt(4) == 0 ? (byte) r.nextInt(256) : alphabet[r.nextInt(alphabet.length)];
            }
            long chunk = 0;
            for (int i = 7; i >= 0; i--) {
                chunk = (chunk << 8) | (b[i] & 0xFF);
            }
            boolean all = true;
            long value = 0;
            for (int i = 0; i < 8; i++) {
                all &= b[i] >= '0' && b[i] <= '9';
                value = value * 10 + (b[i] - '0');
            }
            String text = new String(b, StandardCharsets.ISO_8859_1);
            assertEquals(all, DecimalParser.eightDigits(chunk), text);
            if (all) {
                assertEquals(value, DecimalParser.eightDigitValue(chunk), text);
            }
        }
        assertEquals(0, DecimalParser.eightDigitValue(0x3030303030303030L));
        assertEquals(99_999_999, DecimalParser.eightDigitValue(0x3939393939393939L));
        assertEquals(12_345_678, DecimalParser.eightDigitValue(0x3837363534333231L));
    }

    /** The conversion core on its own, with significands up to 2^64 - 1 that the text path never builds. */
    @Test
    void eiselLemireOnArbitrarySignificands() {
        SplittableRandom r = new SplittableRandom(13);
        int undecided = 0;
        int total = 300_000;
        for (int n = 0; n < total; n++) {
            long w = switch (r.nextInt(4)) {
                case 0 -> r.nextLong();
                case 1 -> r.nextLong() >>> r.nextInt(64);
                case 2 -> (r.nextLong(1, 1L << 54)) << r.nextInt(11); // mostly exact in binary
                default -> -1L - r.nextLong(1 << 20);
            };
            if (w == 0) {
                continue;
            }
            int q = r.nextInt(-370, 340);
            String text = Long.toUnsignedString(w) + "e" + q;
            long want = Double.doubleToRawLongBits(Double.parseDouble(text));
            double fast = DecimalParser.eiselLemire(w, q);
            if (Double.isNaN(fast)) {
                undecided++;
            } else {
                assertEquals(Long.toHexString(want), Long.toHexString(Double.doubleToRawLongBits(fast)), text);
            }
            double full = DecimalParser.toDouble(w, q);
            if (!Double.isNaN(full)) {
                assertEquals(Long.toHexString(want), Long.toHexString(Double.doubleToRawLongBits(full)), text);
            }
        }
        // undecided: only exact values and ties with small negative q (then toDouble resolves them)
        assertTrue(undecided < total / 1000, undecided + " undecided");
    }
}

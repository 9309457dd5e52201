package org.remcg.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ReaderFuzzer} on DCD files: both byte orders, 4- and 8-byte record markers, unit cells,
 * an X-PLOR header and a fourth dimension.
 */
class DcdFuzzTest {

    @TempDir
    Path dir;

    private static final long[] SPECIAL = {0, 1, -1, 4, 8, 48, 80, 84, 164, 800, 2400, 1 << 16, 1 << 28, 1 << 30, Integer.MAX_VALUE,
        Integer.MIN_VALUE, Long.MAX_VALUE, Long.MIN_VALUE, 1L << 32, 84L << 32};
    private static final double[] SPECIAL_DOUBLES = {0, -0.0, 1, -1, 0.5, 90, 180, 200, -30, 1e300, Double.NaN,
        Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.MIN_VALUE, 1e-300};

    /** An intact file with what its damage needs to know: byte order, marker size, header and frame sizes. */
    private record Base(byte[] bytes, ByteOrder order, int marker, long header, long frame) {
        static Base of(DcdReaderTest.Dcd dcd, ByteOrder order, int marker, Path dir) throws Exception {
            byte[] bytes = DcdReaderTest.write(dcd, order, marker);
            Path tmp = Files.write(dir.resolve("base.dcd"), bytes);
            try (DcdReader r = DcdReader.open(tmp)) {
                return new Base(bytes, order, marker, r.headerSize(), r.frameSize());
            }
        }
    }

    static ReaderFuzzer fuzzer(Path dir) throws Exception {
        DcdReaderTest.Dcd tri = DcdReaderTest.parse(DcdReaderTest.bytes("tri.mdtraj.dcd"));
        tri.coords.subList(3, tri.coords.size()).clear();
        tri.cells.subList(3, tri.cells.size()).clear();
        DcdReaderTest.Dcd small = DcdReaderTest.synthetic(5, 4, 3);
        DcdReaderTest.Dcd xplor = DcdReaderTest.synthetic(4, 3, 4);
        xplor.icntrl[19] = 0;
        xplor.cells.clear();
        xplor.xplorDelta = 0.001;
        DcdReaderTest.Dcd four = DcdReaderTest.synthetic(3, 3, 5);
        four.icntrl[11] = 1;
        for (int f = 0; f < 3; f++) {
            float[][] c = four.coords.get(f);
            four.coords.set(f, new float[][] {c[0], c[1], c[2], c[0]});
        }
        List<Base> bases = List.of(
                Base.of(tri, ByteOrder.LITTLE_ENDIAN, 4, dir),
                Base.of(small, ByteOrder.BIG_ENDIAN, 4, dir),
                Base.of(small, ByteOrder.LITTLE_ENDIAN, 8, dir),
                Base.of(xplor, ByteOrder.BIG_ENDIAN, 8, dir),
                Base.of(four, ByteOrder.LITTLE_ENDIAN, 4, dir));
        List<byte[]> bytes = new ArrayList<>();
        for (Base b : bases) {
            bytes.add(b.bytes());
        }
        return new ReaderFuzzer("fuzz.dcd", bytes, false, (intact, which, rnd) -> damage(bases.get(which), rnd));
    }

    private static byte[] damage(Base base, java.util.Random rnd) {
        byte[] b = base.bytes().clone();
        ByteBuffer w = ByteBuffer.wrap(b).order(base.order());
        int frames = (int) ((b.length - base.header()) / base.frame());
        switch (rnd.nextInt(4)) {
            case 0 -> { // random bytes in the header
                for (int k = 1 + rnd.nextInt(3); k > 0; k--) {
                    b[rnd.nextInt((int) base.header())] = (byte) rnd.nextInt(256);
                }
            }
            case 1 -> { // a header integer (ICNTRL, title count, atom count, markers) set to a special value
                int[] fields = new int[24];
                for (int k = 0; k < 20; k++) {
                    fields[k] = base.marker() + 4 + 4 * k;
                }
                fields[20] = base.marker() + 84 + base.marker() + base.marker(); // NTITLE
                fields[21] = (int) base.header() - base.marker() - 4; // NATOM
                fields[22] = (int) base.header() - base.marker(); // its closing marker
                fields[23] = 0; // the first marker
                w.putInt(fields[rnd.nextInt(fields.length)], (int) SPECIAL[rnd.nextInt(SPECIAL.length)]);
            }
            case 2 -> { // a frame record marker set to a special value
                long at = base.header() + rnd.nextInt(frames) * base.frame();
                long p = at;
                for (int k = rnd.nextInt((int) Math.max(1, base.frame() / 8)); k > 0 && p < at + base.frame(); k--) {
                    long len = base.marker() == 4 ? w.getInt((int) p) : w.getLong((int) p);
                    p += len + 2L * base.marker();
                }
                if (p < b.length - base.marker()) {
                    long v = SPECIAL[rnd.nextInt(SPECIAL.length)];
                    if (base.marker() == 4) {
                        w.putInt((int) p, (int) v);
                    } else {
                        w.putLong((int) p, v);
                    }
                }
            }
            default -> { // unit cell values set to special doubles
                long at = base.header() + rnd.nextInt(frames) * base.frame() + base.marker();
                for (int k = 0; k < 6; k++) {
                    if (rnd.nextInt(3) == 0 && at + 8 * k + 8 <= b.length) {
                        w.putDouble((int) at + 8 * k, SPECIAL_DOUBLES[rnd.nextInt(SPECIAL_DOUBLES.length)]);
                    }
                }
            }
        }
        return b;
    }

    static final ReaderFuzzer.Pass[] PASSES = {
        ReaderFuzzer.sequential(DcdReader::open),
        ReaderFuzzer.mixed(file -> DcdReader.open(file, 256)),
        ReaderFuzzer.indexed(DcdIndex::build),
    };

    @Test
    void damagedFilesGiveFramesOrFormatExceptions() throws Exception {
        fuzzer(dir).run(dir, 1, 3000, 800, PASSES);
    }
}

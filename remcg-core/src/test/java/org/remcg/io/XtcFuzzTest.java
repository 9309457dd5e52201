package org.remcg.io;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link ReaderFuzzer} on XTC files: classic and 2023 magic, compressed and plain frames, a triclinic box. */
class XtcFuzzTest {

    @TempDir
    Path dir;

    /** Values for XTC header fields: magics, the plain/compressed limit, widths, sizes. */
    private static final int[] INTERESTING = {0, 1, -1, 2, 3, 9, 10, 11, 663, 664, 1995, 2023, 0x7fffffff, 0x80000000,
        0xffffff, 0x1000000, 1 << 20, 62, 63, 72, 73, 8, -663};

    static ReaderFuzzer fuzzer() throws Exception {
        byte[] water = Files.readAllBytes(XtcReaderTest.resource("water.xtc"));
        byte[] head = Arrays.copyOf(water, (int) XtcIndexTest.offsetsByHand(water)[8]); // 8 frames, ~19 kB
        byte[] ndec7 = Files.readAllBytes(XtcReaderTest.resource("ndec7.xtc"));
        List<byte[]> bases = List.of(head, XtcReaderTest.to2023(head, true),
                Files.readAllBytes(XtcReaderTest.resource("first6.xtc")),
                Files.readAllBytes(XtcReaderTest.resource("first10.xtc")),
                Arrays.copyOf(ndec7, (int) XtcIndexTest.offsetsByHand(ndec7)[2]), // 2 frames
                Files.readAllBytes(XtcReaderTest.resource("tric.xtc")));
        List<long[]> offsets = new ArrayList<>();
        for (byte[] base : bases) {
            offsets.add(XtcIndexTest.offsetsByHand(base));
        }
        return new ReaderFuzzer("fuzz.xtc", bases, false, (b, base, rnd) -> {
            // an interesting value in one of the first 24 fields of a frame header
            byte[] c = b.clone();
            long[] frames = offsets.get(base);
            int field = (int) frames[rnd.nextInt(frames.length)] + 4 * rnd.nextInt(24);
            if (field + 4 <= c.length) {
                ByteBuffer.wrap(c).putInt(field, INTERESTING[rnd.nextInt(INTERESTING.length)]);
            }
            return c;
        });
    }

    static final ReaderFuzzer.Pass[] PASSES = {
        ReaderFuzzer.sequential(XtcReader::open),
        ReaderFuzzer.mixed(XtcReader::open),
        ReaderFuzzer.indexed(XtcIndex::buildPrefix),
    };

    @Test
    void damagedFilesGiveFramesOrFormatExceptions() throws Exception {
        fuzzer().run(dir, 1, 3000, 800, PASSES);
    }
}

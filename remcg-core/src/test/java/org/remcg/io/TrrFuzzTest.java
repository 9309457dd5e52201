package org.remcg.io;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link ReaderFuzzer} on TRR files: single and double precision, frames with and without each block. */
class TrrFuzzTest {

    @TempDir
    Path dir;

    /** Values for TRR header fields: sizes of one atom's block in either precision, the magic, limits. */
    private static final int[] SPECIAL = {0, 1, -1, 2, 3, 4, 8, 9, 12, 13, 24, 36, 72, 1993, 1 << 16, 1 << 28, 1 << 30,
        Integer.MAX_VALUE, Integer.MIN_VALUE, Integer.MAX_VALUE - 8, 6336, 528, 12672};

    /** Offsets of the frame headers of an intact file. */
    private static List<Integer> headers(byte[] base) {
        List<Integer> out = new ArrayList<>();
        ByteBuffer b = ByteBuffer.wrap(base);
        int p = 0;
        while (p < base.length) {
            out.add(p);
            int natoms = b.getInt(p + 64);
            int r = 4;
            for (int k = 32; k <= 60; k += 4) {
                int size = b.getInt(p + k);
                if (size > 0) {
                    r = k <= 40 ? size / 9 : size / (3 * natoms);
                    break;
                }
            }
            long body = 0;
            for (int k = 32; k <= 60; k += 4) {
                body += b.getInt(p + k);
            }
            p += 76 + 2 * r + (int) body;
        }
        return out;
    }

    static ReaderFuzzer fuzzer() throws Exception {
        byte[] water = Files.readAllBytes(TrrReaderTest.resource("water.trr"));
        List<byte[]> bases = List.of(Arrays.copyOf(water, 3 * (84 + 36 + 3 * 528 * 12)),
                Arrays.copyOf(Files.readAllBytes(TrrReaderTest.resource("water_d.trr")), 92 + 72 + 3 * 528 * 24),
                TrrReaderTest.trr(false, TrrReaderTest.mixedFrames()),
                TrrReaderTest.trr(true, TrrReaderTest.mixedFrames()));
        List<List<Integer>> headers = new ArrayList<>();
        for (byte[] base : bases) {
            headers.add(headers(base));
        }
        return new ReaderFuzzer("fuzz.trr", bases, false, (b, base, rnd) -> {
            byte[] c = b.clone();
            ByteBuffer w = ByteBuffer.wrap(c);
            int h = headers.get(base).get(rnd.nextInt(headers.get(base).size()));
            switch (rnd.nextInt(4)) {
                case 0 -> { // random bytes in a header
                    for (int k = 1 + rnd.nextInt(3); k > 0; k--) {
                        c[h + rnd.nextInt(92)] = (byte) rnd.nextInt(256);
                    }
                }
                case 1 -> { // one of magic, the string lengths and the 13 integers after the string set to a special value
                    int field = rnd.nextInt(16);
                    w.putInt(h + (field < 3 ? 4 * field : 24 + 4 * (field - 3)),
                            rnd.nextInt(4) == 0 ? rnd.nextInt() : SPECIAL[rnd.nextInt(SPECIAL.length)]);
                }
                case 2 -> { // several of the 13 integers at once
                    for (int k = 0; k < 13; k++) {
                        if (rnd.nextInt(3) == 0) {
                            w.putInt(h + 24 + 4 * k, SPECIAL[rnd.nextInt(SPECIAL.length)]);
                        }
                    }
                }
                default -> { // a valid-looking header start followed by random integers
                    ByteBuffer g = ByteBuffer.allocate(rnd.nextInt(400) + 24);
                    g.putInt(1993).putInt(13).putInt(12).put("GMX_trn_file".getBytes(StandardCharsets.US_ASCII));
                    while (g.remaining() >= 4) {
                        g.putInt(rnd.nextBoolean() ? SPECIAL[rnd.nextInt(SPECIAL.length)] : rnd.nextInt(100));
                    }
                    c = g.array();
                }
            }
            return c;
        });
    }

    static final ReaderFuzzer.Pass[] PASSES = {
        ReaderFuzzer.sequential(TrrReader::open),
        ReaderFuzzer.mixed(file -> TrrReader.at(file, 0, 0, 0, 0, 256)),
        ReaderFuzzer.indexed(TrrIndex::build),
    };

    @Test
    void damagedFilesGiveFramesOrFormatExceptions() throws Exception {
        fuzzer().run(dir, 1, 3000, 800, PASSES);
    }
}

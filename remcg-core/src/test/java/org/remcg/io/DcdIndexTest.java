package org.remcg.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.remcg.io.IoTesting.assertSameFrame;
import static org.remcg.io.IoTesting.readAll;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link DcdIndex}: arithmetic offsets, checked against a walk over the record markers. */
class DcdIndexTest {

    @TempDir
    Path dir;

    /** Frame offsets found by walking the Fortran records (little-endian, 4-byte markers). */
    private static List<Long> walk(byte[] b, boolean cell) {
        ByteBuffer in = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        long p = 0;
        for (int r = 0; r < 3; r++) {
            p += 8 + in.getInt((int) p);
        }
        List<Long> out = new ArrayList<>();
        while (p < b.length) {
            out.add(p);
            for (int r = 0; r < (cell ? 4 : 3); r++) {
                p += 8 + in.getInt((int) p);
            }
        }
        return out;
    }

    @Test
    void offsetsMatchTheRecordsAndOpenAtGivesTheRest() throws Exception {
        for (String name : DcdReaderTest.FILES) {
            Path p = DcdReaderTest.resource(name);
            DcdIndex index = DcdIndex.build(p);
            List<Long> walked = walk(Files.readAllBytes(p), true);
            assertEquals(20, index.frames());
            assertEquals(walked.size(), index.frames());
            assertEquals(200, index.atoms());
            assertNull(index.problem());
            for (int i = 0; i < 20; i++) {
                assertEquals(walked.get(i), index.offset(i));
            }
            List<Frame> all = readAll(() -> DcdReader.open(p));
            for (int first = 0; first <= 20; first++) {
                try (DcdReader r = index.openAt(first)) {
                    List<Frame> rest = readAll(r);
                    assertEquals(20 - first, rest.size());
                    for (int k = 0; k < rest.size(); k++) {
                        assertSameFrame(all.get(first + k), rest.get(k));
                    }
                }
            }
            assertThrows(IndexOutOfBoundsException.class, () -> index.offset(20));
            assertThrows(IndexOutOfBoundsException.class, () -> index.openAt(21));
            assertThrows(IndexOutOfBoundsException.class, () -> index.openAt(-1));
        }
    }

    @Test
    void eightByteMarkersBigEndian() throws Exception {
        DcdReaderTest.Dcd d = DcdReaderTest.parse(DcdReaderTest.bytes("tri.mda.dcd"));
        Path p = Files.write(dir.resolve("be8.dcd"), DcdReaderTest.write(d, ByteOrder.BIG_ENDIAN, 8));
        DcdIndex index = DcdIndex.build(p);
        assertEquals(20, index.frames());
        assertEquals(48 + 16 + 3 * (800 + 16), index.frameSize());
        long header = Files.size(p) - 20 * index.frameSize();
        assertEquals(8 + 84 + 8 + 8 + 4 + d.title.length + 8 + 8 + 4 + 8, header);
        for (int i = 0; i < 20; i++) {
            assertEquals(header + i * index.frameSize(), index.offset(i));
        }
        try (DcdReader r = index.openAt(13)) {
            Frame f = new Frame();
            assertTrue(r.next(f));
            assertEquals(13, f.index);
        }
    }

    @Test
    void truncatedTail() throws Exception {
        byte[] b = DcdReaderTest.bytes("ortho.mdtraj.dcd");
        int frame = 48 + 8 + 3 * 808;
        int header = b.length - 20 * frame;
        Path p = Files.write(dir.resolve("cut.dcd"), Arrays.copyOf(b, header + 12 * frame + 500));
        DcdIndex index = DcdIndex.build(p);
        assertEquals(12, index.frames());
        assertNotNull(index.problem());
        assertEquals(12, index.problem().frame());
        assertEquals(header + 12L * frame, index.problem().offset());
        try (DcdReader r = index.openAt(10)) {
            Frame f = new Frame();
            assertTrue(r.next(f));
            assertTrue(r.next(f));
            TrajectoryFormatException e = assertThrows(TrajectoryFormatException.class, () -> r.next(f));
            assertEquals(index.problem().getMessage(), e.getMessage());
        }
        Path bad = Files.write(dir.resolve("bad.dcd"), Arrays.copyOfRange(b, 4, 1000));
        assertThrows(TrajectoryFormatException.class, () -> DcdIndex.build(bad));
    }
}

package org.remcg.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.remcg.io.IoTesting.assertSameFrame;
import static org.remcg.io.IoTesting.readAll;
import static org.remcg.io.TrrReaderTest.resource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link TrrIndex}: offsets from frame headers, and readers started at any frame. */
class TrrIndexTest {

    @TempDir
    Path dir;

    private static final int FRAME = 84 + 36 + 3 * 528 * 12;
    private static final int FRAME_D = 92 + 72 + 3 * 528 * 24;

    @Test
    void offsetsOfGromacsFiles() throws Exception {
        TrrIndex index = TrrIndex.build(resource("water.trr"));
        assertEquals(21, index.frames());
        assertEquals(528, index.atoms());
        assertFalse(index.isDouble());
        assertNull(index.problem());
        for (int i = 0; i < 21; i++) {
            assertEquals((long) i * FRAME, index.offset(i));
        }
        TrrIndex d = TrrIndex.build(resource("water_d.trr"));
        assertEquals(3, d.frames());
        assertTrue(d.isDouble());
        for (int i = 0; i < 3; i++) {
            assertEquals((long) i * FRAME_D, d.offset(i));
        }
        assertThrows(IndexOutOfBoundsException.class, () -> index.offset(21));
        assertThrows(IndexOutOfBoundsException.class, () -> index.offset(-1));
        assertThrows(IndexOutOfBoundsException.class, () -> index.openAt(22));
        assertThrows(IndexOutOfBoundsException.class, () -> index.openAt(-1));
    }

    @Test
    void openAtEveryFrameGivesTheRestOfTheFile() throws Exception {
        for (String name : new String[] {"water.trr", "water_d.trr"}) {
            List<Frame> all = readAll(() -> TrrReader.open(resource(name)));
            TrrIndex index = TrrIndex.build(resource(name));
            for (int first = 0; first <= index.frames(); first++) {
                try (TrrReader r = index.openAt(first)) {
                    assertEquals(index.atoms(), r.atoms());
                    List<Frame> rest = readAll(r);
                    assertEquals(all.size() - first, rest.size());
                    for (int k = 0; k < rest.size(); k++) {
                        assertSameFrame(all.get(first + k), rest.get(k));
                    }
                }
            }
        }
    }

    @Test
    void handMadeFramesOfDifferentSizes() throws Exception {
        for (boolean isDouble : new boolean[] {false, true}) {
            List<TrrReaderTest.Ref> refs = TrrReaderTest.mixedFrames();
            Path p = Files.write(dir.resolve("mixed.trr"), TrrReaderTest.trr(isDouble, refs));
            TrrIndex index = TrrIndex.build(p);
            assertEquals(refs.size(), index.frames());
            long expected = 0;
            for (int i = 0; i < refs.size(); i++) {
                assertEquals(expected, index.offset(i));
                expected += TrrReaderTest.trr(isDouble, refs.subList(i, i + 1)).length;
                try (TrrReader r = index.openAt(i)) {
                    Frame f = new Frame();
                    assertTrue(r.next(f));
                    assertEquals(refs.get(i).step, f.step);
                    assertEquals(i, f.index);
                }
            }
        }
    }

    @Test
    void truncatedTailIsReportedAndReachedFromAnyStart() throws Exception {
        byte[] b = Files.readAllBytes(resource("water.trr"));
        Path p = Files.write(dir.resolve("cut.trr"), Arrays.copyOf(b, 5 * FRAME + 100));
        TrrIndex index = TrrIndex.build(p);
        assertEquals(5, index.frames());
        assertNotNull(index.problem());
        assertEquals(5, index.problem().frame());
        assertEquals(5L * FRAME, index.problem().offset());
        try (TrrReader r = index.openAt(3)) {
            Frame f = new Frame();
            assertTrue(r.next(f));
            assertEquals(3, f.index);
            assertTrue(r.next(f));
            TrajectoryFormatException e = assertThrows(TrajectoryFormatException.class, () -> r.next(f));
            assertEquals(index.problem().getMessage(), e.getMessage());
        }
        // garbage after the frames
        byte[] junk = Arrays.copyOf(b, 2 * FRAME + 200);
        Arrays.fill(junk, 2 * FRAME, junk.length, (byte) 7);
        TrrIndex j = TrrIndex.build(Files.write(dir.resolve("junk.trr"), junk));
        assertEquals(2, j.frames());
        assertTrue(j.problem().getMessage().contains("magic"));
        // a file that does not start with a TRR frame cannot be indexed
        Path bad = Files.write(dir.resolve("bad.trr"), Arrays.copyOfRange(junk, 2 * FRAME, junk.length));
        assertThrows(TrajectoryFormatException.class, () -> TrrIndex.build(bad));
    }

    /** Contiguous ranges read by several threads put together equal the sequential read. */
    @Test
    void rangesReadInParallel() throws Exception {
        List<Frame> all = readAll(() -> TrrReader.open(resource("water.trr")));
        TrrIndex index = TrrIndex.build(resource("water.trr"));
        int[] starts = {0, 6, 11, 17, 21};
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<Frame>>> parts = new ArrayList<>();
            for (int c = 0; c + 1 < starts.length; c++) {
                int first = starts[c];
                int count = starts[c + 1] - first;
                parts.add(pool.submit(() -> {
                    List<Frame> out = new ArrayList<>();
                    try (TrrReader r = index.openAt(first)) {
                        Frame f = new Frame();
                        for (int k = 0; k < count && r.next(f); k++) {
                            out.add(f.copy());
                        }
                    }
                    return out;
                }));
            }
            List<Frame> joined = new ArrayList<>();
            for (Future<List<Frame>> part : parts) {
                joined.addAll(part.get());
            }
            IoTesting.assertSameFrames(all, joined);
        } finally {
            pool.shutdownNow();
        }
    }
}

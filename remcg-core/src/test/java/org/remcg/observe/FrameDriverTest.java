package org.remcg.observe;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.remcg.io.Frame;
import org.remcg.io.TrajectoryFormatException;
import org.remcg.io.TrajectoryReader;
import org.remcg.system.Box;
import org.remcg.system.CgTopology;
import org.remcg.system.InteractionKind;

class FrameDriverTest {
    static final int CHAINS = 40;
    static final CgTopology TOP = FrameFeaturesTest.system(CHAINS, 150);

    /** 37 frames (not a multiple of the batch), box fluctuating like NPT so 1/V sums matter. */
    static List<Frame> frames(int n) {
        SplittableRandom rnd = new SplittableRandom(77);
        List<Frame> list = new ArrayList<>();
        for (int t = 0; t < n; t++) {
            double s = 1 + 0.02 * (rnd.nextDouble() - 0.5);
            Box box = t % 3 == 0 ? Box.triclinic(3.6 * s, 1.2 * s, 3.4 * s, -1.0 * s, 1.5 * s, 3.1 * s) : Box.orthorhombic(3.4 * s, 3.5 * s, 3.3 * s);
            list.add(FrameFeaturesTest.frame(TOP, CHAINS, box, rnd, t));
        }
        return list;
    }

    static AccumulatorSet accumulators() {
        return new AccumulatorSet(List.of(
                new Rdf(TOP, 1.4, 0.02, 3),
                new BondedDistributions(TOP, 0, 1, 50, 36, 36),
                new FrameFeatures(TOP, 3, FrameFeaturesTest.terms(), true, 4)));
    }

    private static void assertIdentical(AccumulatorSet a, AccumulatorSet b) {
        Rdf ra = a.get(0, Rdf.class);
        Rdf rb = b.get(0, Rdf.class);
        assertEquals(ra.frames(), rb.frames());
        assertEquals(Double.doubleToLongBits(ra.inverseVolumeSum()), Double.doubleToLongBits(rb.inverseVolumeSum()));
        for (int s = 0; s < ra.pairCount(); s++) {
            assertArrayEquals(ra.counts(s), rb.counts(s));
            assertArrayEquals(ra.g(s), rb.g(s), 0.0);
        }
        BondedDistributions ba = a.get(1, BondedDistributions.class);
        BondedDistributions bb = b.get(1, BondedDistributions.class);
        for (InteractionKind kind : InteractionKind.BONDED) {
            for (int l = 0; l < ba.labels(kind).length; l++) {
                assertArrayEquals(ba.density(kind, l), bb.density(kind, l), 0.0);
                assertEquals(ba.outside(kind, l), bb.outside(kind, l));
            }
        }
        FrameFeatures fa = a.get(2, FrameFeatures.class);
        FrameFeatures fb = b.get(2, FrameFeatures.class);
        assertEquals(fa.frames(), fb.frames());
        assertArrayEquals(fa.mean(), fb.mean(), 0.0);
        assertArrayEquals(fa.standardErrors(), fb.standardErrors(), 0.0);
        assertArrayEquals(fa.frameStore().toArray(), fb.frameStore().toArray(), 0.0);
    }

    @Test
    void parallelEqualsSerialBitForBit() throws Exception {
        List<Frame> list = frames(37);
        MemoryTrajectory traj = new MemoryTrajectory(list);
        AccumulatorSet serial = accumulators();
        try (TrajectoryReader r = traj.open()) {
            assertEquals(37, new FrameDriver(1, 4).run(r, serial));
        }
        for (int threads : new int[] {1, 2, 3, 5}) {
            AccumulatorSet seq = accumulators();
            try (TrajectoryReader r = traj.open()) {
                assertEquals(37, new FrameDriver(threads, 4).run(r, seq));
            }
            assertIdentical(serial, seq);
            AccumulatorSet indexed = accumulators();
            assertEquals(37, new FrameDriver(threads, 4).run(traj, indexed));
            assertIdentical(serial, indexed);
        }
        // features are replayed frame by frame: identical to plain sequential accept as well
        FrameFeatures plain = new FrameFeatures(TOP, 3, FrameFeaturesTest.terms(), true, 4);
        for (Frame f : list) {
            plain.accept(f);
        }
        FrameFeatures driven = serial.get(2, FrameFeatures.class);
        assertArrayEquals(plain.mean(), driven.mean(), 0.0);
        assertArrayEquals(plain.standardErrors(), driven.standardErrors(), 0.0);
        // RDF counts are integers: identical to sequential accept; the 1/V sum agrees to rounding
        Rdf rdf = new Rdf(TOP, 1.4, 0.02, 3);
        for (Frame f : list) {
            rdf.accept(f);
        }
        Rdf drivenRdf = serial.get(0, Rdf.class);
        for (int s = 0; s < rdf.pairCount(); s++) {
            assertArrayEquals(rdf.counts(s), drivenRdf.counts(s));
        }
        assertEquals(rdf.inverseVolumeSum(), drivenRdf.inverseVolumeSum(), 1e-14 * rdf.inverseVolumeSum());
        // frames carry their own index
        assertEquals(36, list.get(36).index);
    }

    @Test
    void xtcFileSequentialAndIndexedAgree(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path file = dir.resolve("t.xtc");
        List<Frame> list = frames(23);
        try (org.remcg.io.XtcWriter w = new org.remcg.io.XtcWriter(file)) {
            for (Frame f : list) {
                w.write(f);
            }
        }
        org.remcg.io.XtcIndex index = org.remcg.io.XtcIndex.build(file);
        assertEquals(23, index.frames());
        AccumulatorSet reference = accumulators();
        try (TrajectoryReader r = org.remcg.io.XtcReader.open(file)) {
            assertEquals(23, new FrameDriver(1, 5).run(r, reference));
        }
        for (int threads : new int[] {2, 3}) {
            AccumulatorSet seq = accumulators();
            try (TrajectoryReader r = org.remcg.io.XtcReader.open(file)) {
                new FrameDriver(threads, 5).run(r, seq);
            }
            assertIdentical(reference, seq);
            AccumulatorSet indexed = accumulators();
            new FrameDriver(threads, 5).run(index, indexed);
            assertIdentical(reference, indexed);
        }
        assertEquals(23, reference.get(0, Rdf.class).frames());
    }

    @Test
    void badFrameStopsAllThreadsWithItsIndex() throws Exception {
        List<Frame> list = frames(30);
        list.get(17).atoms = 5;
        MemoryTrajectory traj = new MemoryTrajectory(list);
        for (int threads : new int[] {1, 2, 3}) {
            IllegalArgumentException e;
            try (TrajectoryReader r = traj.open()) {
                e = assertThrows(IllegalArgumentException.class, () -> new FrameDriver(threads, 3).run(r, accumulators()));
            }
            assertTrue(e.getMessage().startsWith("frame 17:"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> new FrameDriver(threads, 3).run(traj, accumulators()));
            assertTrue(e.getMessage().startsWith("frame 17:"), e.getMessage());
        }
    }

    @Test
    void readerErrorsPropagate() {
        List<Frame> list = frames(10);
        TrajectoryReader failing = new TrajectoryReader() {
            int next;

            @Override
            public Path file() {
                return Path.of("broken.xtc");
            }

            @Override
            public int atoms() {
                return TOP.size();
            }

            @Override
            public boolean next(Frame f) throws TrajectoryFormatException {
                if (next == 7) {
                    throw new TrajectoryFormatException(file(), 7, 1234, "bad magic");
                }
                Frame src = list.get(next++);
                f.resize(src.atoms, false, false);
                System.arraycopy(src.x, 0, f.x, 0, 3 * src.atoms);
                f.box = src.box;
                f.index = src.index;
                return true;
            }

            @Override
            public void close() {
            }
        };
        TrajectoryFormatException e = assertThrows(TrajectoryFormatException.class, () -> new FrameDriver(2, 2).run(failing, accumulators()));
        assertEquals(7, e.frame());
    }

    @Test
    void emptyTrajectory() throws IOException, TrajectoryFormatException {
        MemoryTrajectory traj = new MemoryTrajectory(List.of());
        AccumulatorSet acc = accumulators();
        assertEquals(0, new FrameDriver(2, 4).run(traj, acc));
        try (TrajectoryReader r = traj.open()) {
            assertEquals(0, new FrameDriver(2, 4).run(r, acc));
        }
        assertEquals(0, acc.get(0, Rdf.class).frames());
    }
}

package org.remcg.observe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.remcg.io.Frame;
import org.remcg.numeric.SampleMean;
import org.remcg.system.Box;
import org.remcg.system.CgTopology;

/** Blocks of frames made on the fly by {@link BlockedAccumulator} under {@link FrameDriver}, and the block standard errors of an RDF. */
class BlockedAccumulatorTest {
    static final CgTopology TOP = Fluids.atoms(30, 10);

    /** n frames of uniform points in a box whose size fluctuates (so the 1/V sums depend on the order of additions). */
    static MemoryTrajectory frames(int n, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        List<Frame> list = new ArrayList<>();
        for (int t = 0; t < n; t++) {
            double s = 1 + 0.05 * (rnd.nextDouble() - 0.5);
            list.add(Fluids.uniform(TOP.size(), Box.orthorhombic(2.5 * s, 2.6 * s, 2.7 * s), rnd, t));
        }
        return new MemoryTrajectory(list);
    }

    static Rdf rdf() {
        return new Rdf(TOP, 1.2, 0.05, 0);
    }

    static BlockedAccumulator<Rdf> run(MemoryTrajectory traj, int threads, int batch, int blocks) throws Exception {
        BlockedAccumulator<Rdf> b = new BlockedAccumulator<>(rdf(), blocks);
        assertEquals(traj.frames(), new FrameDriver(threads, batch).run(traj, b));
        return b;
    }

    @Test
    void blocksAreContiguousOfEqualLengthAndBetweenBAnd2B() throws Exception {
        int batch = 4;
        int bb = 5;
        for (int n : new int[] {3, 9, 40, 41, 119, 203, 640}) {
            MemoryTrajectory traj = frames(n, n);
            BlockedAccumulator<Rdf> b = run(traj, 2, batch, bb);
            long[] len = b.blockFrames();
            List<Rdf> blocks = b.blocks();
            assertEquals(len.length, blocks.size());
            assertEquals(n, b.frames());
            long sum = 0;
            long[] counts = new long[b.total().bins()];
            for (int i = 0; i < len.length; i++) {
                sum += len[i];
                assertEquals(len[i], blocks.get(i).frames(), "n = " + n + ": frames in block " + i);
                for (int k = 0; k < counts.length; k++) {
                    counts[k] += blocks.get(i).count(0, k);
                }
                if (i < len.length - 1) {
                    assertEquals(len[0], len[i], "n = " + n + ": block " + i + " of " + java.util.Arrays.toString(len));
                } else {
                    assertTrue(len[i] <= len[0], "n = " + n + ": last block " + java.util.Arrays.toString(len));
                }
            }
            assertEquals(n, sum);
            // the blocks partition the pair counts of the whole pass
            assertArrayEquals(b.total().counts(0), counts, "n = " + n);
            // whole batches, doubled: 4, 8, 16, ... frames
            if (len.length > 1) {
                assertEquals(0, len[0] % batch);
                assertEquals(1, Long.bitCount(len[0] / batch), "block length " + len[0]);
            }
            int batches = (n + batch - 1) / batch;
            if (batches >= 2 * bb) {
                assertTrue(len.length >= bb && len.length <= 2 * bb, "n = " + n + ": " + len.length + " blocks");
            } else {
                assertEquals(batches, len.length, "n = " + n + ": one block per batch before the first merge");
            }
        }
        // 203 frames in batches of 4 (the last 3), B = 5: 10 blocks of 4 -> 5 of 8 -> 5 of 16 -> 5 of 32 at 160 frames,
        // one more of 32 at 192, then 11 frames in the current block, which is under half a block and left out of the errors
        BlockedAccumulator<Rdf> b = run(frames(203, 203), 1, batch, bb);
        assertArrayEquals(new long[] {32, 32, 32, 32, 32, 32, 11}, b.blockFrames());
        assertEquals(6, b.errorBlocks().size());
        assertEquals(32, b.blockLength());
        // the last block counts from half a block: 15 frames after the six blocks of 32 do not, 16 do
        assertEquals(6, run(frames(207, 207), 1, batch, bb).errorBlocks().size());
        assertEquals(7, run(frames(208, 208), 1, batch, bb).errorBlocks().size());
    }

    @Test
    void sameBitsOnOneAndTwoThreadsAndTheTotalIsAPlainRdf() throws Exception {
        MemoryTrajectory traj = frames(203, 5);
        BlockedAccumulator<Rdf> one = run(traj, 1, 4, 3);
        BlockedAccumulator<Rdf> two = run(traj, 2, 4, 3);
        assertArrayEquals(one.blockFrames(), two.blockFrames());
        for (int i = 0; i < one.blocks().size(); i++) {
            Rdf a = one.blocks().get(i);
            Rdf c = two.blocks().get(i);
            assertEquals(Double.doubleToRawLongBits(a.inverseVolumeSum()), Double.doubleToRawLongBits(c.inverseVolumeSum()), "block " + i);
            for (int s = 0; s < a.pairCount(); s++) {
                assertArrayEquals(a.counts(s), c.counts(s), "block " + i + " pair " + s);
            }
        }
        Rdf plain = rdf();
        new FrameDriver(2, 4).run(traj, plain);
        for (BlockedAccumulator<Rdf> b : List.of(one, two)) {
            assertEquals(Double.doubleToRawLongBits(plain.inverseVolumeSum()), Double.doubleToRawLongBits(b.total().inverseVolumeSum()));
            assertEquals(plain.frames(), b.total().frames());
            for (int s = 0; s < plain.pairCount(); s++) {
                assertArrayEquals(plain.counts(s), b.total().counts(s));
                assertArrayEquals(plain.g(s), b.total().g(s));
            }
        }
    }

    @Test
    void framesAcceptedDirectlyAreOneBlockAndMixingIsRefused() {
        MemoryTrajectory traj = frames(5, 1);
        BlockedAccumulator<Rdf> b = new BlockedAccumulator<>(rdf(), 2);
        Frame f = new Frame();
        var reader = traj.open();
        try {
            while (reader.next(f)) {
                b.accept(f);
            }
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        assertArrayEquals(new long[] {5}, b.blockFrames());
        assertSame(b.total(), b.blocks().get(0));
        BlockedAccumulator<Rdf> target = b.emptyCopy();
        target.merge(b);
        assertArrayEquals(new long[] {5}, target.blockFrames());
        assertThrows(IllegalStateException.class, () -> target.accept(f));
        assertThrows(IllegalStateException.class, () -> b.merge(target));
        assertThrows(IllegalArgumentException.class, () -> new BlockedAccumulator<>(rdf(), 0));
        target.reset();
        assertEquals(0, target.blocks().size());
        assertEquals(0, target.total().frames());
    }

    /**
     * Independent frames of an ideal gas (uniform points, one fixed cubic box): in each frame every
     * pair lands in shell k with probability p_k = dV_k / V, and two pairs are independent even
     * when they share a particle (given it, the other two positions are uniform), so the count in
     * bin k over all F frames has mean mu_k = F P p_k and variance mu_k (1 - p_k). With g_k =
     * count / mu_k, Var(g_k) = (1 - p_k) / mu_k, which the block standard error estimates: the
     * ratio se_k^2 mu_k / (1 - p_k) is about chi^2 with nb - 1 degrees of freedom over nb - 1.
     * With nb = 64 blocks its relative standard deviation per bin is sqrt(2 / 63) = 0.18, and the
     * mean over the 24 bins with r >= 0.2 nm (at least 400 pairs per block, so the Poisson excess
     * kurtosis 1/400 adds nothing) has a standard deviation of 0.18 / sqrt(24) = 0.036 (bins are
     * nearly independent); we allow 0.15, about 4 standard deviations. A wrong normalization of the
     * blocks (e.g. g of summed rather than averaged blocks, or a missing 1/sqrt(nb)) would be off by
     * a factor of 2 or more.
     */
    @Test
    void idealGasStandardErrorsMatchThePairCountStatistics() throws Exception {
        int n = 300;
        double l = 3.0;
        Box box = Box.orthorhombic(l, l, l);
        CgTopology top = Fluids.atoms(n, 0);
        SplittableRandom rnd = new SplittableRandom(2026);
        List<Frame> list = new ArrayList<>();
        int frames = 512;
        for (int t = 0; t < frames; t++) {
            list.add(Fluids.uniform(n, box, rnd, t));
        }
        BlockedAccumulator<Rdf> b = new BlockedAccumulator<>(new Rdf(top, 1.4, 0.05, 0), 64);
        new FrameDriver(2, 2).run(new MemoryTrajectory(list), b);
        // 256 batches of 2 frames: 128 blocks of 2 -> 64 of 4 -> 128 -> 64 blocks of 8
        assertArrayEquals(java.util.stream.LongStream.generate(() -> 8).limit(64).toArray(), b.blockFrames());
        List<double[]> perBlock = new ArrayList<>();
        for (Rdf block : b.errorBlocks()) {
            perBlock.add(block.g(0));
        }
        double[] se = SampleMean.standardErrors(perBlock);
        Rdf all = b.total();
        double pairs = n * (n - 1) / 2.0;
        double sum = 0;
        int bins = 0;
        for (int k = 4; k < all.bins(); k++) {
            double p = all.shellVolume(k) / box.volume();
            double mu = frames * pairs * p;
            double ratio = se[k] * se[k] * mu / (1 - p);
            // per bin chi^2_63 / 63 (sd 0.18, skewed right): 0.3 is 3.9 sd below 1, 2.2 is 6.7 sd above
            assertTrue(ratio > 0.3 && ratio < 2.2, "bin " + k + ": se^2 mu / (1 - p) = " + ratio);
            sum += ratio;
            bins++;
        }
        assertEquals(24, bins);
        double mean = sum / bins;
        System.out.printf("ideal gas: mean over %d bins of se^2 mu / (1 - p) = %.4f (64 blocks of 8 frames)%n", bins, mean);
        assertEquals(1.0, mean, 0.15);
    }
}

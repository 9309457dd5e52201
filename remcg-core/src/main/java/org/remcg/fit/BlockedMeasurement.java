package org.remcg.fit;

import java.util.ArrayList;
import java.util.List;
import org.remcg.io.Frame;
import org.remcg.numeric.SampleMean;
import org.remcg.system.CgTopology;

/**
 * A {@link ReferenceStatistics.Measurement} of consecutive frames split into contiguous blocks, so
 * that every bin of every measured distribution gets a standard error from the scatter of the
 * block values (frames of a simulation are correlated; blocks much longer than the correlation
 * time make the error honest). Frame i of an expected n goes to block floor(i B / n); frames past
 * n go to the last block. {@link #result()} merges the blocks: it holds exactly the counts of one
 * measurement fed every frame.
 */
public final class BlockedMeasurement {
    private final List<FitTerm> terms;
    private final CgTopology top;
    private final int hops;
    private final ReferenceStatistics.Measurement[] blocks;
    private final long[] frames;
    private final long expected;
    private long seen;

    /**
     * @param blocks         number of blocks (at least 2)
     * @param expectedFrames frames the caller will feed (sets the block boundaries)
     */
    public BlockedMeasurement(List<FitTerm> terms, CgTopology top, int hops, int blocks, long expectedFrames) {
        if (blocks < 2 || expectedFrames < blocks) {
            throw new IllegalArgumentException("need at least 2 blocks and a frame per block, got " + blocks + " blocks for " + expectedFrames + " frames");
        }
        this.terms = List.copyOf(terms);
        this.top = top;
        this.hops = hops;
        this.blocks = new ReferenceStatistics.Measurement[blocks];
        for (int b = 0; b < blocks; b++) {
            this.blocks[b] = new ReferenceStatistics.Measurement(terms, top, hops);
        }
        this.frames = new long[blocks];
        this.expected = expectedFrames;
    }

    /** Adds the next frame (not thread-safe). */
    public void accept(Frame frame) {
        int b = (int) Math.min(blocks.length - 1, seen * blocks.length / expected);
        blocks[b].accumulator().accept(frame);
        frames[b]++;
        seen++;
    }

    /** Frames fed so far. */
    public long frames() {
        return seen;
    }

    /** The statistics of all frames (the blocks merged in order). */
    public ReferenceStatistics result() {
        ReferenceStatistics.Measurement all = new ReferenceStatistics.Measurement(terms, top, hops);
        for (int b = 0; b < blocks.length; b++) {
            if (frames[b] > 0) {
                all.accumulator().merge(blocks[b].accumulator());
            }
        }
        return all.result();
    }

    /**
     * Per term, the standard error of each bin of the distribution in {@link #result()}: the
     * standard deviation of the non-empty blocks' values divided by the square root of their
     * number ({@link SampleMean#standardErrors}; NaN with fewer than two non-empty blocks).
     */
    public List<double[]> standardErrors() {
        List<List<double[]>> perBlock = new ArrayList<>();
        for (int b = 0; b < blocks.length; b++) {
            if (frames[b] == 0) {
                continue;
            }
            List<double[]> v = new ArrayList<>();
            for (TargetDistribution d : blocks[b].result().distributions()) {
                v.add(d.value());
            }
            perBlock.add(v);
        }
        List<double[]> out = new ArrayList<>();
        for (int q = 0; q < terms.size(); q++) {
            List<double[]> values = new ArrayList<>();
            for (List<double[]> v : perBlock) {
                values.add(v.get(q));
            }
            out.add(SampleMean.standardErrors(values));
        }
        return out;
    }
}

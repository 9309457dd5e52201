package org.remcg.observe;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.remcg.io.Frame;

/**
 * An accumulator together with the same statistics in contiguous blocks of frames of equal length,
 * for block standard errors, without knowing the number of frames in advance.
 *
 * <p>Whatever is merged into this accumulator is added, as one unit, to the current block (merge
 * order is frame order under {@link FrameDriver}, which merges its batches in order, so blocks are
 * contiguous ranges of frames). A block holding at least {@link #blockLength()} frames is complete;
 * when 2B blocks are complete, adjacent pairs are merged into B blocks of twice the length, which
 * becomes the length later blocks are filled to. With units of b frames (FrameDriver's batches, the
 * last possibly shorter) every block but the last therefore holds b 2^j frames, and from 2B units on
 * there are between B and 2B blocks. The blocks depend on the sequence of merges alone, never on the
 * thread count.
 *
 * <p>Frames passed to {@link #accept} are one unit (a FrameDriver worker's batch) that joins the
 * blocks when this accumulator is merged into another; an accumulator fed only by {@code accept}
 * has them as its one block. One accumulator may not both accept frames and take merges.
 *
 * <p>{@link #total()} is the wrapped accumulator: it gets exactly the calls a plain accumulator in
 * this place would get, so it holds bit for bit what a plain one would. Not thread-safe.
 */
public final class BlockedAccumulator<A extends FrameAccumulator<A>> implements FrameAccumulator<BlockedAccumulator<A>> {
    private final A total;
    private final int pairs;                 // B: 2B complete blocks are merged pairwise into B
    private final List<A> complete = new ArrayList<>();
    private final long[] completeFrames;
    private final ArrayDeque<A> spare = new ArrayDeque<>();
    private A current;
    private long currentFrames;
    private long length = 1;                 // frames that complete a block
    private long accepted;                   // frames given to accept (in total only)
    private long frames;

    /**
     * @param total  the accumulator of all frames (its settings are copied for the blocks)
     * @param blocks B, at least 1: between B and 2B blocks are kept
     */
    public BlockedAccumulator(A total, int blocks) {
        if (blocks < 1) {
            throw new IllegalArgumentException("need at least one block, got " + blocks);
        }
        this.total = total;
        this.pairs = blocks;
        this.completeFrames = new long[2 * blocks];
    }

    @Override
    public void accept(Frame frame) {
        if (!complete.isEmpty() || currentFrames > 0) {
            throw new IllegalStateException("a blocked accumulator that took merges cannot accept frames");
        }
        total.accept(frame);
        accepted++;
        frames++;
    }

    @Override
    public void merge(BlockedAccumulator<A> other) {
        if (accepted > 0) {
            throw new IllegalStateException("a blocked accumulator that accepted frames cannot take merges");
        }
        total.merge(other.total);
        frames += other.frames;
        if (other.accepted > 0) {
            add(other.total, other.accepted);
            return;
        }
        for (int b = 0; b < other.complete.size(); b++) {
            add(other.complete.get(b), other.completeFrames[b]);
        }
        if (other.currentFrames > 0) {
            add(other.current, other.currentFrames);
        }
    }

    /** Adds a unit of n frames to the current block; completes it, and halves the block count at 2B. */
    private void add(A unit, long n) {
        if (current == null) {
            current = spare.isEmpty() ? total.emptyCopy() : spare.pop();
        }
        current.merge(unit);
        currentFrames += n;
        if (currentFrames < length) {
            return;
        }
        completeFrames[complete.size()] = currentFrames;
        complete.add(current);
        current = null;
        currentFrames = 0;
        if (complete.size() < 2 * pairs) {
            return;
        }
        for (int b = 0; b < pairs; b++) {
            A first = complete.get(2 * b);
            A second = complete.get(2 * b + 1);
            first.merge(second);
            second.reset();
            spare.push(second);
            complete.set(b, first);
            completeFrames[b] = completeFrames[2 * b] + completeFrames[2 * b + 1];
        }
        complete.subList(pairs, 2 * pairs).clear();
        length = completeFrames[0];
    }

    @Override
    public BlockedAccumulator<A> emptyCopy() {
        return new BlockedAccumulator<>(total.emptyCopy(), pairs);
    }

    @Override
    public void reset() {
        total.reset();
        for (A a : complete) {
            a.reset();
            spare.push(a);
        }
        complete.clear();
        if (current != null) {
            current.reset();
            spare.push(current);
            current = null;
        }
        currentFrames = 0;
        length = 1;
        accepted = 0;
        frames = 0;
    }

    /** Everything accumulated (the accumulator given to the constructor). */
    public A total() {
        return total;
    }

    /** Frames accumulated. */
    public long frames() {
        return frames;
    }

    /** Frames that complete a block now (1 until the first pairwise merge). */
    public long blockLength() {
        return length;
    }

    /** The blocks in frame order: the complete ones and the current one if it holds frames. */
    public List<A> blocks() {
        if (accepted > 0) {
            return List.of(total);
        }
        List<A> out = new ArrayList<>(complete);
        if (currentFrames > 0) {
            out.add(current);
        }
        return Collections.unmodifiableList(out);
    }

    /** The frame counts of {@link #blocks()}. */
    public long[] blockFrames() {
        if (accepted > 0) {
            return new long[] {accepted};
        }
        int n = complete.size();
        long[] out = new long[n + (currentFrames > 0 ? 1 : 0)];
        System.arraycopy(completeFrames, 0, out, 0, n);
        if (currentFrames > 0) {
            out[n] = currentFrames;
        }
        return out;
    }

    /**
     * The blocks a standard error should be taken over: {@link #blocks()} without a last block that
     * holds fewer than half the frames of the first (a short block scatters more; one of at least
     * half the length is kept, weighted like the others).
     */
    public List<A> errorBlocks() {
        List<A> all = blocks();
        long[] n = blockFrames();
        int last = n.length - 1;
        return last > 0 && 2 * n[last] < n[0] ? all.subList(0, last) : all;
    }
}

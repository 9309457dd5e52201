package org.remcg.observe;

import org.remcg.io.Frame;
import org.remcg.mapping.Mapper;

/**
 * Feeds fine-grained frames to an accumulator of coarse-grained statistics: each frame is first
 * mapped to beads by a {@link Mapper} into a scratch frame owned by this accumulator, then passed
 * on. Run through {@link FrameDriver}, the mapping therefore happens on the worker threads, next
 * to the statistics, not on the thread that reads the file. With a null mapper frames pass
 * through unchanged (statistics of the atoms themselves).
 *
 * <p>Merging merges the inner accumulators; a copy shares the (immutable) mapper and has its own
 * scratch frame. Not thread-safe.
 */
public final class MappedAccumulator<A extends FrameAccumulator<A>> implements FrameAccumulator<MappedAccumulator<A>> {
    private final Mapper mapper;
    private final A inner;
    private final Frame cg = new Frame();

    /**
     * @param mapper fine-to-bead map, or null to pass frames through
     * @param inner  the accumulator of bead (or atom) statistics
     */
    public MappedAccumulator(Mapper mapper, A inner) {
        this.mapper = mapper;
        this.inner = inner;
    }

    /** The accumulator of the mapped frames. */
    public A inner() {
        return inner;
    }

    @Override
    public void accept(Frame frame) {
        if (mapper == null) {
            inner.accept(frame);
            return;
        }
        mapper.map(frame, cg);
        inner.accept(cg);
    }

    @Override
    public void merge(MappedAccumulator<A> other) {
        inner.merge(other.inner);
    }

    @Override
    public MappedAccumulator<A> emptyCopy() {
        return new MappedAccumulator<>(mapper, inner.emptyCopy());
    }

    @Override
    public void reset() {
        inner.reset();
    }
}

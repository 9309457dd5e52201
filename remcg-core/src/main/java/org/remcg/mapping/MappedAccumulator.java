package org.remcg.mapping;

import org.remcg.io.Frame;
import org.remcg.observe.FrameAccumulator;

/**
 * Maps each fine frame to beads and hands the bead frame to an inner accumulator, so mapping
 * runs inside the parallel part of a {@link org.remcg.observe.FrameDriver} (each copy owns its
 * bead frame; the {@link Mapper} is shared, it is immutable).
 */
public final class MappedAccumulator<A extends FrameAccumulator<A>> implements FrameAccumulator<MappedAccumulator<A>> {
    private final Mapper mapper;
    private final A inner;
    private final Frame cg = new Frame();

    public MappedAccumulator(Mapper mapper, A inner) {
        this.mapper = mapper;
        this.inner = inner;
    }

    public A inner() {
        return inner;
    }

    @Override
    public void accept(Frame frame) {
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

package org.remcg.observe;

import java.util.ArrayList;
import java.util.List;
import org.remcg.io.Frame;

/**
 * Several accumulators fed from one pass over the frames (e.g. RDFs, bonded distributions and
 * features together); merging merges part by part.
 */
public final class AccumulatorSet implements FrameAccumulator<AccumulatorSet> {
    private final List<FrameAccumulator<?>> parts;

    public AccumulatorSet(List<? extends FrameAccumulator<?>> parts) {
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("an accumulator set needs at least one part");
        }
        this.parts = List.copyOf(parts);
    }

    public int size() {
        return parts.size();
    }

    /** Part i, cast to its class. */
    public <A extends FrameAccumulator<A>> A get(int i, Class<A> type) {
        return type.cast(parts.get(i));
    }

    @Override
    public void accept(Frame frame) {
        for (FrameAccumulator<?> p : parts) {
            p.accept(frame);
        }
    }

    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    public void merge(AccumulatorSet other) {
        if (other.parts.size() != parts.size()) {
            throw new IllegalArgumentException("cannot merge accumulator sets of different sizes");
        }
        for (int i = 0; i < parts.size(); i++) {
            FrameAccumulator a = parts.get(i);
            FrameAccumulator b = other.parts.get(i);
            if (a.getClass() != b.getClass()) {
                throw new IllegalArgumentException("cannot merge a " + b.getClass().getSimpleName() + " into a " + a.getClass().getSimpleName());
            }
            a.merge(b);
        }
    }

    @Override
    public AccumulatorSet emptyCopy() {
        List<FrameAccumulator<?>> copies = new ArrayList<>();
        for (FrameAccumulator<?> p : parts) {
            copies.add(p.emptyCopy());
        }
        return new AccumulatorSet(copies);
    }

    @Override
    public void reset() {
        for (FrameAccumulator<?> p : parts) {
            p.reset();
        }
    }
}

package org.remcg.observe;

import org.remcg.io.Frame;

/**
 * Something that digests trajectory frames one at a time and can be split across threads: each
 * thread fills its own {@link #emptyCopy()}, and the copies are merged back in frame order.
 * {@link FrameDriver} relies on this to get results that do not depend on the thread count.
 *
 * <p>{@code accept} must not keep a reference to the frame (drivers reuse frame objects) and
 * should not allocate per frame once warmed up.
 *
 * @param <A> the implementing class
 */
public interface FrameAccumulator<A extends FrameAccumulator<A>> {

    /** Adds one frame. Errors name the frame ({@link Frame#index}). */
    void accept(Frame frame);

    /** Adds everything {@code other} has seen, as if its frames had come after this one's. */
    void merge(A other);

    /** A new accumulator with the same settings and nothing accumulated. */
    A emptyCopy();

    /** Forgets everything accumulated, keeping the settings (and scratch memory). */
    void reset();
}

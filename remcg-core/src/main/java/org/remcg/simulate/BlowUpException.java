package org.remcg.simulate;

/**
 * The simulation became unstable: a non-finite coordinate or energy, a particle moving more than
 * the allowed fraction of the box in one step, or an energy explosion. Names the step and, where
 * one is to blame, the particle (0-based index), so a caller (the fit) can react.
 */
public final class BlowUpException extends RuntimeException {
    private final long step;
    private final int particle;

    public BlowUpException(String message, long step, int particle) {
        super(message);
        this.step = step;
        this.particle = particle;
    }

    public long step() { return step; }

    /** The 0-based particle index, or -1 when no single particle is to blame. */
    public int particle() { return particle; }
}

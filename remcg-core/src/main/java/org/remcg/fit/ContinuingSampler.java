package org.remcg.fit;

/**
 * A sampler whose simulations continue one another: each starts from the configuration the
 * chain carries, which is the end of the last simulation only when the loop accepted that
 * simulation's parameters (a rejected model may have carried the system into another state,
 * e.g. a demixing one), and is set from outside when a run resumes. The built-in engine's
 * sampler and a LAMMPS chain keep the configuration here.
 */
abstract class ContinuingSampler {
    private double[] start;
    private double[] ended;

    ContinuingSampler(double[] start) {
        this.start = start.clone();
    }

    /** The configuration the next simulation starts from (copy). */
    public double[] positions() {
        return start.clone();
    }

    /** Sets the configuration the next simulation starts from (for resuming); a pending end is dropped. */
    public void setPositions(double[] p) {
        if (p.length != start.length) {
            throw new IllegalArgumentException("a configuration of " + start.length / 3 + " beads has " + start.length + " coordinates, got " + p.length);
        }
        start = p.clone();
        ended = null;
    }

    /** The last simulation's end becomes the next start only when its parameters were accepted. */
    public void verdict(boolean accepted) {
        if (accepted && ended != null) {
            start = ended;
        }
        ended = null;
    }

    /** The next simulation's start (a copy, like {@link #positions}). */
    double[] start() {
        return start.clone();
    }

    /** The configuration the simulation just run ended with (held, not copied) until the verdict. */
    void ended(double[] end) {
        ended = end;
    }
}

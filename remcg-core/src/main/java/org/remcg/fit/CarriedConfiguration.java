package org.remcg.fit;

/**
 * The configuration a chain of simulations carries from one simulation to the next: the start of the next one, and
 * the end of the last one, which becomes the next start only when the loop accepted that simulation's parameters (a
 * rejected model may have carried the system into another state, e.g. a demixing one).
 */
final class CarriedConfiguration {
    private double[] start;
    private double[] ended;

    CarriedConfiguration(double[] start) {
        this.start = start.clone();
    }

    /** The next simulation's start (copy). */
    double[] start() {
        return start.clone();
    }

    /** Sets the next start (for resuming); a pending end is dropped. */
    void set(double[] p) {
        start = p.clone();
        ended = null;
    }

    /** The configuration the simulation just run ended with (held, not copied). */
    void ended(double[] end) {
        ended = end;
    }

    /** The verdict on the simulation just run: accepted, its end is the next start. */
    void verdict(boolean accepted) {
        if (accepted && ended != null) {
            start = ended;
        }
        ended = null;
    }
}

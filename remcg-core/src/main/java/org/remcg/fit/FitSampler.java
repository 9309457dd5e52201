package org.remcg.fit;

import org.remcg.optimize.IterativeRem;

/**
 * A sampler of the molecular fit: the loop's {@link IterativeRem.Sampler} plus what the fit command needs around it
 * (the configuration to resume from, frames for the validation run, progress). Backends: the built-in engine
 * ({@link EngineSampler}), several replicas merged in a fixed order ({@link ReplicaSampler}, e.g. of
 * {@link LammpsSampler} chains).
 */
public interface FitSampler extends IterativeRem.Sampler {

    /** The configuration(s) the next simulation starts from (copy): with several replicas, replica after replica. */
    double[] positions();

    /** Sets the configuration(s) the next simulation starts from (for resuming), as {@link #positions()} gives them. */
    void setPositions(double[] p);

    /** Frames of later simulations also go to sink (null: none), in the order of the merged samples. */
    void setSink(EngineSampler.FrameSink sink);

    /** Later simulations tell progress (null: none). */
    void setProgress(EngineSampler.Progress progress);

    /** MD steps run so far by this sampler (equilibration included, all replicas). */
    long stepsRun();

    /** Independent chains of every simulation. */
    default int replicas() {
        return 1;
    }
}

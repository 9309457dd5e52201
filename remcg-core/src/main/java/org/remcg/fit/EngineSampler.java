package org.remcg.fit;

import org.remcg.io.Frame;
import org.remcg.model.ForceField;
import org.remcg.observe.FrameStore;
import org.remcg.optimize.IterativeRem;
import org.remcg.optimize.Samples;
import org.remcg.simulate.BlowUpException;
import org.remcg.simulate.Engine;
import org.remcg.simulate.IdentitySwaps;
import org.remcg.simulate.Integrator;

/**
 * Samples the CG model with the built-in engine for the REM loop: sets theta, re-draws the
 * velocities (seed derived from the run seed and the simulation index), equilibrates, then runs
 * the production steps and stores the per-frame feature vectors the force loop computes. Each
 * simulation starts from the last configuration of the last simulation whose parameters the loop
 * accepted (a rejected step's model may have carried the system into another state, e.g. a
 * demixing one, which a short equilibration would not undo), with the engine's step counter at 0,
 * and depends on nothing else the engine carries, so a run resumed from a checkpoint (parameters +
 * that configuration) repeats an uninterrupted run bit for bit.
 */
public final class EngineSampler extends ContinuingSampler implements FitSampler, ReplicaSampler.Chain {

    /** MD settings of every model simulation. */
    public record Settings(double dt, double friction, long steps, long equilibrate, int sampleEvery, long seed) {
    }

    /** Told how far each simulation has come: its index, and MD steps done and in all (equilibration included). */
    @FunctionalInterface
    public interface Progress {
        void at(int sim, long done, long total);
    }

    /** Receives each production frame (positions in the caller's particle order), e.g. for validation statistics. */
    public interface FrameSink {
        void frame(Frame frame);
    }

    private final Engine engine;
    private final ForceField ff;
    private final Settings settings;
    private final double temperature;
    private FrameSink sink;
    private Progress progress;
    private long stepsRun;
    private final IdentitySwaps swaps;
    private int swapEvery;

    public EngineSampler(Engine engine, Settings settings) {
        super(engine.positions());
        this.engine = engine;
        this.ff = engine.forceField();
        this.settings = settings;
        this.temperature = ff.temperature();
        this.swaps = new IdentitySwaps(engine.topology(), ff, temperature);
    }

    /** Frames of later simulations also go to sink (null: none). */
    @Override
    public void setSink(FrameSink sink) {
        this.sink = sink;
    }

    /** Later simulations tell progress (null: none) after each of their pieces (the trajectories do not change). */
    @Override
    public void setProgress(Progress progress) {
        this.progress = progress;
    }

    /**
     * Interleaves identity-swap sweeps ({@link IdentitySwaps}) with the dynamics, one sweep every {@code every}
     * steps (0: none; the frames are sampled at the same steps either way). Does nothing for systems without
     * one-bead molecules of two types. The swaps of a simulation draw from their own seed (derived like the
     * dynamics' from the run seed and the simulation index), so a resumed run repeats them.
     */
    public void setSwaps(int every) {
        swapEvery = Math.max(0, every);
    }

    /** The swap move (its acceptance so far). */
    public IdentitySwaps swaps() {
        return swaps;
    }

    /** MD steps run so far by this sampler (equilibration included). */
    @Override
    public long stepsRun() {
        return stepsRun;
    }

    public Engine engine() {
        return engine;
    }

    /** A seed for simulation {@code sim} of a run with seed {@code seed} (SplitMix64 finalizer of the pair). */
    static long seedFor(long seed, int sim) {
        long z = seed * 0x9E3779B97F4A7C15L + sim * 0xBF58476D1CE4E5B9L + 0x94D049BB133111EBL;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    @Override
    public Samples sample(double[] theta, int sim) throws IterativeRem.SamplingException {
        return sample(theta, sim, 1.0);
    }

    /** Production steps of a simulation of the given length: at least 20 sampled frames. */
    long production(double length) {
        return production(settings, length);
    }

    /** Production steps of a simulation of the given length with these settings: at least 20 sampled frames. */
    static long production(Settings settings, double length) {
        if (length >= 1) {
            return settings.steps();
        }
        return Math.max(20L * settings.sampleEvery(), Math.round(length * settings.steps() / settings.sampleEvery()) * settings.sampleEvery());
    }

    /** Equilibration steps of a simulation of the given length with these settings. */
    static long equilibration(Settings settings, double length) {
        return Math.round(length * settings.equilibrate());
    }

    @Override
    public long steps(double length) {
        return production(length) + equilibration(settings, length);
    }

    /** As a chain of {@link ReplicaSampler}: the whole simulation runs in {@link ReplicaSampler.Pending#finish}, chains one after another. */
    @Override
    public ReplicaSampler.Pending start(double[] theta, int sim, double length) {
        return frames -> {
            setSink(frames);
            try {
                return sample(theta, sim, length);
            } finally {
                setSink(null);
            }
        };
    }

    /**
     * A simulation of a fraction of the full length: equilibration and production both scaled (the start is the
     * end of the previous simulation, so the equilibration only has to absorb one step's change of the model).
     */
    @Override
    public Samples sample(double[] theta, int sim, double length) throws IterativeRem.SamplingException {
        long equilibrate = equilibration(settings, length);
        long steps = production(length);
        ff.setParameters(theta);
        engine.setPositions(start());
        engine.setStep(0);   // frames sampled at the same steps of every simulation, whatever ran before
        long s = seedFor(settings.seed(), sim);
        engine.initializeVelocities(temperature, s);
        Integrator.Langevin lang = new Integrator.Langevin(settings.dt(), settings.friction(), temperature, s + 1);
        int m = ff.parameterCount();
        FrameStore store = new FrameStore(m);
        Frame frame = sink == null ? null : new Frame();
        Progress p = progress;
        long total = equilibrate + steps;
        java.util.SplittableRandom swapRng = new java.util.SplittableRandom(s + 2);
        try {
            if (equilibrate > 0) {
                swaps.run(engine, lang, equilibrate, 0, null, swapEvery, swapRng, p == null ? null : done -> p.at(sim, done, total));
                stepsRun += equilibrate;
            }
            swaps.run(engine, lang, steps, settings.sampleEvery(), (e, sample) -> {
                store.append(sample.features());
                if (sink != null) {
                    frame.resize(e.size(), false, false);
                    e.positions(frame.x);
                    frame.box = e.box();
                    frame.step = sample.step();
                    sink.frame(frame);
                }
            }, swapEvery, swapRng, p == null ? null : done -> p.at(sim, equilibrate + done, total));
            stepsRun += steps;
        } catch (BlowUpException e) {
            throw new IterativeRem.SamplingException(e.getMessage());
        }
        ended(engine.positions());
        return new Samples(theta, store.toArray(), store.frames());
    }
}

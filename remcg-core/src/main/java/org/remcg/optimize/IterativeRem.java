package org.remcg.optimize;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.remcg.numeric.QuadraticForm;

/**
 * Relative-entropy minimization for models whose averages must be sampled: simulate at theta,
 * take a trust-region Newton step on that simulation's gradient beta (&lt;phi&gt;_target -
 * &lt;phi&gt;_theta) and covariance Hessian beta^2 Cov_theta(phi), simulate again.
 *
 * <p><b>Step.</b> d = -(H + mu I)^-1 g (Levenberg-Marquardt) with the smallest mu &gt;= 0 such that
 * (a) the predicted relative entropy between the model before and after the step,
 * d.H.d / 2, is at most the trust radius (nats), and (b) no coefficient changes by more than
 * {@code maxStep} kT. The radius is measured in the Hessian (Fisher) metric because that is the
 * scale on which the quadratic model of S fails: the third cumulant of the energy change grows
 * with d.H.d, whatever coefficient carries it. The damping shrinks the poorly determined
 * (small-eigenvalue) directions first. H is the sampled covariance shrunk, by the coefficients per
 * effective frame, towards a prior ({@link #withHessianPrior}: the HNC response for liquids of one-bead
 * molecules) or towards its own diagonal. The gradient is a sampled quantity: in the Hessian's
 * eigenbasis each of its components is first scaled by max(0, 1 - noise/component^2), the noise
 * variance being the eigenvalue times the frames' relative noise (sampled gradient covariance =
 * Hessian x statistical inefficiency / frames, the factor from block means) plus the target's own
 * variance. Without this the step chases noise in every poorly determined direction, and the
 * quadratic model, fed the noise's apparent decrease (about m/2 over the effective frame count
 * for m coefficients), promises 2-3 times what the next simulation measures on systems with
 * hundreds of coefficients; the predicted change uses the filtered gradient. When the step is
 * limited by the radius or the cap and the effective sample size of the frames at the stepped
 * point is still above {@code essMin}, further Newton iterations on the reweighted frames follow
 * (small systems, far from the optimum), kept only if they end within the trust radius; a full
 * (unlimited) filtered Newton step stands on the quadratic model, because reweighted iterations
 * would head for the minimum of the frames' own noise.
 *
 * <p><b>Trust region.</b> The gradient is sampled at every simulation, so the change of S along
 * the step d from the accepted point (g0, H0) to the new one (g1, H1) is measured by the
 * Hermite (corrected trapezoid) rule dS = (g0 + g1).d / 2 + (d.H0.d - d.H1.d) / 12, exact when
 * S is quartic along the step, held within the convexity bounds g0.d &lt;= dS &lt;= g1.d. Its
 * standard error comes from the block means of the projected features d.phi at both
 * simulations. rho = measured / predicted decides: a step that raised S is
 * rejected (the next simulation goes back to the accepted point's model, stepped again with a
 * smaller radius); rho &lt; 1/4 halves the step length for the next radius when the measured
 * decrease falls short of a quarter of the prediction by more than twice its standard error; rho &gt; 3/4 on a step
 * that used the radius doubles the length; rho below 1/2 bounds the next step to 0.7 times this one's length (the radius
 * at most half its d.H.d/2), whether or not the radius bound it: unbounded Newton steps on a Hessian sampled from few
 * effective frames per coefficient otherwise over-predict step after step (the methanol-water mixture: rho 0.3-0.5 at
 * a 250-nat radius). When the predicted change is within twice the
 * measurement's standard error (block averages of the projected features), rho carries no
 * information: the step is accepted unless S rose by more than that noise or the step was long
 * (d.H.d/2 above {@link #NOISE_STEP_KL} nats: a long step must show its effect), and the radius
 * stays. The radius never exceeds {@link #MAX_RADIUS_FACTOR} times its initial value.
 * Reweighted Newton iterations (below) are kept only within the radius.
 * A sampler failure (a simulation that blows up) counts as a rejection, up to
 * {@code maxRetries} in a row; a failure at the starting parameters is fatal.
 *
 * <p><b>Convergence.</b> At each simulation the gradient is compared with its own noise,
 * var(g_k) = beta^2 (var of the target mean + var of the sampled mean), both from block
 * averages. Three criteria must hold: the gradient criterion, the mean of g_k^2 / var(g_k) over all
 * free parameters below {@code noiseThreshold} (default 1 + 3 sqrt(2 / m), the upper 3-sigma
 * edge of what pure noise gives for m independent features); and the distribution criterion,
 * the same mean taken over each interaction's own parameters (its B-spline-binned distribution
 * against the target, in units of their statistical error) below 1 + 3 sqrt(2 / m_q), so that
 * no interaction hides behind the others; and the coefficient criterion, every single |g_k| /
 * sd(g_k) below the two-sided normal quantile that pure noise exceeds in one of the m
 * coefficients with probability 1 % ({@link ConvergenceCriterion.Coefficient#maxZ}), so that a local misfit (the onset of a
 * g(r)) does not hide in a mean either. When the budget runs out the result is the last
 * accepted point. The three criteria are {@link ConvergenceCriterion} objects; a loop can be given others.
 *
 * <p>Parameters can be tied (see {@link TiedObjective}): features with no target information
 * follow an informed neighbour plus a fixed offset and are not free parameters.
 */
public final class IterativeRem {

    /** Produces model samples (per-frame feature vectors) at given parameters. */
    public interface Sampler {
        /**
         * @param simulation 0-based index of the simulation in the whole run (use it to derive seeds, so a
         *                   resumed run repeats the same simulations)
         */
        Samples sample(double[] theta, int simulation) throws SamplingException;

        /**
         * A simulation of the given length, a fraction in (0, 1] of the full one (production and
         * equilibration scaled alike). Samplers without a notion of length run the full one.
         */
        default Samples sample(double[] theta, int simulation, double length) throws SamplingException {
            return sample(theta, simulation);
        }

        /** MD steps (equilibration included) of a simulation of that length; 0 when not counted. */
        default long steps(double length) {
            return 0;
        }

        /**
         * What the loop decided about the parameters of the simulation just run: {@code accepted} false when they were
         * rejected, so the next simulation should not continue from where that one ended (a sampler that carries a
         * configuration from one simulation to the next goes back to the end of the last accepted one).
         */
        default void verdict(boolean accepted) {
        }
    }

    /** A model simulation that failed (blew up); the loop reacts by shrinking its step. */
    public static final class SamplingException extends Exception {
        public SamplingException(String message) {
            super(message);
        }
    }

    /** Called after every simulation's update, e.g. to write a checkpoint. */
    public interface Listener {
        void after(State state, Samples samples) throws java.io.IOException;
    }

    public enum Stop {
        /** The gradient is within its statistical noise and so is every interaction's distribution. */
        CONVERGED,
        /** The simulation budget is used up. */
        MAX_SIMULATIONS
    }

    /** What the measurement at a simulation said about the step that led to it. */
    public enum Verdict {
        /** The first simulation: no step yet. */
        START,
        /** S fell as predicted (rho &gt;= 0): the point is the new accepted point. */
        ACCEPTED,
        /** S rose: the point is discarded, the next step starts again from the accepted point. */
        REJECTED,
        /** The predicted change is within the measurement's noise: accepted, radius kept. */
        NOISE,
        /** The simulation blew up: treated as a rejection. */
        FAILED
    }

    /**
     * @param maxSimulations      simulation budget (including the final one that shows convergence)
     * @param essMin              ESS floor (fraction of frames) for reweighted steps
     * @param newtonPerSimulation at most this many Newton iterations on one simulation's frames
     * @param blocks              blocks for the sampled mean's error estimate
     * @param noiseThreshold      convergence threshold on mean g^2/var(g); NaN = default 1 + 3 sqrt(2/m)
     * @param maxRetries          consecutive failed simulations (each shrinking the step) before giving up
     * @param maxStep             largest change of any coefficient by one step, in kT
     *                            (for bases that sum to one, like B-splines, a bound on the change of the potential)
     * @param trustRadius         initial trust radius: the largest predicted relative entropy d.H.d / 2
     *                            between the models before and after a step, in nats
     * @param minLength           shortest simulation, a fraction of the full length (adaptive lengths)
     * @param filterNoise         steps on the gradient filtered for its noise
     * @param targetTolerance     the target means' standard errors count times this in the criteria and the filter
     *                            ({@link #withTargetTolerance})
     */
    public record Options(double beta, int maxSimulations, double essMin, int newtonPerSimulation, int blocks,
                          double noiseThreshold, int maxRetries, double maxStep, double trustRadius, double minLength, boolean filterNoise,
                          double targetTolerance) {
        public Options {
            if (!(beta > 0) || maxSimulations < 1 || newtonPerSimulation < 1 || blocks < 2 || maxRetries < 0 || !(maxStep > 0)
                    || !(trustRadius > 0) || !(minLength > 0 && minLength <= 1) || !(targetTolerance > 0 && targetTolerance < Double.POSITIVE_INFINITY)) {
                throw new IllegalArgumentException("invalid REM loop options " + this);
            }
        }

        public Options(double beta, int maxSimulations, double essMin, int newtonPerSimulation, int blocks, double noiseThreshold, int maxRetries,
                double maxStep, double trustRadius) {
            this(beta, maxSimulations, essMin, newtonPerSimulation, blocks, noiseThreshold, maxRetries, maxStep, trustRadius, 1.0, true, 1.0);
        }

        public static Options defaults(double beta) {
            return new Options(beta, 30, 0.5, 20, 10, Double.NaN, 4, DEFAULT_MAX_STEP, DEFAULT_TRUST_RADIUS, 1.0, true, 1.0);
        }

        /** Adaptive simulation lengths from this fraction of the full length up (1: every simulation full). */
        public Options withMinLength(double fraction) {
            return new Options(beta, maxSimulations, essMin, newtonPerSimulation, blocks, noiseThreshold, maxRetries, maxStep, trustRadius, fraction,
                    filterNoise, targetTolerance);
        }

        /** Steps on the gradient filtered for its sampling noise (default) or on the raw gradient. */
        public Options withFilterNoise(boolean on) {
            return new Options(beta, maxSimulations, essMin, newtonPerSimulation, blocks, noiseThreshold, maxRetries, maxStep, trustRadius, minLength, on,
                    targetTolerance);
        }

        public Options withMaxSimulations(int n) {
            return new Options(beta, n, essMin, newtonPerSimulation, blocks, noiseThreshold, maxRetries, maxStep, trustRadius, minLength, filterNoise,
                    targetTolerance);
        }

        public Options withEssMin(double e) {
            return new Options(beta, maxSimulations, e, newtonPerSimulation, blocks, noiseThreshold, maxRetries, maxStep, trustRadius, minLength, filterNoise,
                    targetTolerance);
        }

        public Options withMaxStep(double kT) {
            return new Options(beta, maxSimulations, essMin, newtonPerSimulation, blocks, noiseThreshold, maxRetries, kT, trustRadius, minLength, filterNoise,
                    targetTolerance);
        }

        /**
         * How close to the optimum for the given target the loop goes before it stops: the target means' variances enter
         * the convergence criteria and the noise filter times the square of this (1: the fit stops once it is consistent
         * with the target within the target's own error; 0.5: within half of it, closer to the optimum, at the cost of
         * longer runs).
         */
        public Options withTargetTolerance(double t) {
            return new Options(beta, maxSimulations, essMin, newtonPerSimulation, blocks, noiseThreshold, maxRetries, maxStep, trustRadius, minLength,
                    filterNoise, t);
        }

        public Options withTrustRadius(double nats) {
            return new Options(beta, maxSimulations, essMin, newtonPerSimulation, blocks, noiseThreshold, maxRetries, maxStep, nats, minLength, filterNoise,
                    targetTolerance);
        }
    }

    /** Default cap on the change of any coefficient per step, in kT (see the class comment). */
    public static final double DEFAULT_MAX_STEP = 2.0;

    /** Default initial trust radius, nats of predicted model-to-model relative entropy per step. */
    public static final double DEFAULT_TRUST_RADIUS = 8.0;

    /**
     * The radius never grows beyond this multiple of the initial one. On the methanol-water mixture
     * (4000 beads, 241 coefficients; then with an 8-nat initial radius and an unshrunk Hessian) radii of
     * 512 and 2048 nats let a step carry the model into a state whose gradient was 30 times larger and
     * whose measured change was pure noise (+- 3600 nats); 128 nats was the largest radius with rho near 1.
     */
    static final double MAX_RADIUS_FACTOR = 16;

    /**
     * A step predicted to move the model by more than this (nats, d.H.d/2) must be measured
     * significantly: if its measured change is within the noise, it is rejected. Near the optimum
     * steps are far smaller (hundredths of a nat on the examples).
     */
    static final double NOISE_STEP_KL = 2.0;

    /**
     * What happened with one simulation.
     *
     * @param simulation      0-based simulation index
     * @param frames          frames it produced (0 when it failed)
     * @param gradientNorm    |g| at its parameters (free parameters; NaN when it failed)
     * @param noise           mean g^2/var(g) at its parameters (gradient criterion)
     * @param termNoise       the same mean per interaction (distribution criterion; empty when it failed)
     * @param measuredChange  change of S from the accepted point to this simulation's parameters, measured
     *                        from the two simulations' gradients and Hessians (NaN at the start or on failure)
     * @param measuredError   standard error of measuredChange from block averages
     * @param rho             measuredChange / the predicted change of the step that led here
     * @param verdict         what the measurement decided about that step
     * @param radius          trust radius (nats) for the step taken after this simulation
     * @param newtonSteps     Newton iterations in that step (0 when none was taken)
     * @param predictedChange predicted change of S over that step (quadratic model, or the reweighted estimate)
     * @param ess             ESS fraction of this simulation's frames at the parameters it handed on (NaN when the
     *                        step started from an earlier simulation)
     * @param note            what else happened (damping, failure message), or empty
     * @param length          the simulation's length as a fraction of the full one
     * @param mdSteps         its MD steps, equilibration included (0 when the sampler does not count them)
     * @param worst           per interaction, the (full) index of its coefficient whose gradient is largest in units of
     *                        its noise (-1 when none; empty when the simulation failed)
     * @param worstZ          that |g| / sd(g)
     */
    public record Step(int simulation, int frames, double gradientNorm, double noise, double[] termNoise, double measuredChange,
                       double measuredError, double rho, Verdict verdict, double radius, int newtonSteps, double predictedChange,
                       double ess, String note, double length, long mdSteps, int[] worst, double[] worstZ) {
    }

    /**
     * Resumable state after a simulation's update. A run resumed from this state with the same
     * sampler repeats an uninterrupted run.
     *
     * @param theta         parameters of the next simulation (the result once stopped)
     * @param base          the accepted point the pending step starts from (full parameters), null before the first simulation
     * @param baseGradient  gradient at the accepted point (free parameters)
     * @param baseHessian   Hessian at the accepted point (free x free, row-major)
     * @param baseBlocks    block means of the accepted point's features (blocks x features), for the measurement's error
     * @param predicted     predicted change of S from base to theta
     * @param radius        current trust radius (nats)
     * @param simulations   simulations so far
     * @param retries       failed simulations in a row
     * @param history       one step per simulation
     * @param stop          why the run stopped, or null while it runs
     * @param length        length of the next simulation, a fraction of the full one
     * @param baseFrames    effective frames behind baseHessian (pooled over accepted simulations; 0: the base point's own)
     * @param drifting      the accepted point replaced an unsettled one (the gradient grew after a short step): the
     *                      state-change rules skip the next step
     */
    public record State(double[] theta, double[] base, double[] baseGradient, double[] baseHessian, double[] baseBlocks, double predicted, double radius,
                        int simulations, int retries, List<Step> history, Stop stop, double length, double baseFrames,
                        boolean drifting) {
        /** A finished state holding only a result (no loop history), e.g. for other fitting methods. */
        public static State result(double[] theta) {
            return new State(theta.clone(), null, null, null, null, Double.NaN, Double.NaN, 0, 0, List.of(), Stop.CONVERGED, 1, 0, false);
        }
    }

    private final Options options;
    private final RemNoise stats;
    private final List<ConvergenceCriterion> criteria;
    /** A Hessian over all parameters that sampled Hessians are shrunk towards, or null (their diagonal). */
    private double[] hessianPrior;

    /** The loop with the default convergence criteria ({@link ConvergenceCriterion#defaults}, gradient threshold from the options). */
    public IterativeRem(Options options) {
        this(options, ConvergenceCriterion.defaults(options.noiseThreshold()));
    }

    /** The loop with its own convergence criteria: it stops as converged when all of them hold on a full-length simulation. */
    public IterativeRem(Options options, List<ConvergenceCriterion> criteria) {
        this.options = options;
        this.stats = new RemNoise(options);
        this.criteria = List.copyOf(criteria);
    }

    /**
     * Shrinks every sampled Hessian towards this one (m x m over all parameters, row-major; ties add, fixed
     * parameters drop out) instead of towards the sampled Hessian's own diagonal; null restores the diagonal.
     */
    public IterativeRem withHessianPrior(double[] prior) {
        this.hessianPrior = prior == null ? null : prior.clone();
        return this;
    }

    /** {@link #run(double[], double[], double[], int[], double[], int[], Regularizer, Sampler, State, Listener)} with all parameters in one group. */
    public State run(double[] target, double[] targetVar, double[] theta0, int[] tie, double[] offset, Regularizer regularizer,
            Sampler sampler, State resume, Listener listener) {
        return run(target, targetVar, theta0, tie, offset, null, regularizer, sampler, resume, listener);
    }

    /**
     * Runs the loop.
     *
     * @param target        target feature means &lt;phi&gt;_target
     * @param targetVar     variance of each target mean (block estimate), or null for exact targets
     * @param theta0        starting parameters (full vector; tied ones must already satisfy their ties)
     * @param tie           tie slot per parameter (see {@link TiedObjective}), or null when all are free
     * @param offset        tie offsets, or null
     * @param group         interaction index of each parameter for the distribution criterion, or null (one group)
     * @param resume        state to continue from, or null
     * @param listener      called after each simulation, or null
     */
    public State run(double[] target, double[] targetVar, double[] theta0, int[] tie, double[] offset, int[] group, Regularizer regularizer,
            Sampler sampler, State resume, Listener listener) {
        int m = target.length;
        targetVar = scaled(targetVar, options.targetTolerance() * options.targetTolerance());
        int[] slots = tie != null ? tie.clone() : identity(m);
        double[] offs = offset != null ? offset.clone() : new double[m];
        int[] groups = group != null ? group.clone() : new int[m];
        State state = resume != null ? resume
                : new State(theta0.clone(), null, null, null, null, Double.NaN, options.trustRadius(), 0, 0, new ArrayList<>(), null, options.minLength(), 0, false);
        if (state.stop() != null) {
            return state;
        }
        List<Step> history = new ArrayList<>(state.history());
        double[] theta = state.theta().clone();
        double[] base = state.base() == null ? null : state.base().clone();
        double[] gb = state.baseGradient() == null ? null : state.baseGradient().clone();
        double[] hb = state.baseHessian() == null ? null : state.baseHessian().clone();
        double[] bb = state.baseBlocks() == null ? null : state.baseBlocks().clone();
        double predicted = state.predicted();
        double pooled = state.baseFrames();
        boolean drifting = state.drifting();
        double radius = state.radius();
        int retries = state.retries();
        int sim = state.simulations();
        double length = state.length();
        // the free-parameter view (ties, offsets) does not depend on the samples
        TiedObjective view = new TiedObjective(new LinearRemObjective(options.beta(), target, new Fixed(m), regularizer), slots, offs);
        int free = view.dimension();
        RemNoise stats = hessianPrior == null ? this.stats : this.stats.withPrior(freeMatrix(hessianPrior, slots, free));
        double[] targetNoise = stats.freeTargetNoise(targetVar, slots, free);
        double maxRadius = MAX_RADIUS_FACTOR * options.trustRadius();
        while (sim < options.maxSimulations()) {
            Samples samples;
            try {
                samples = sampler.sample(theta, sim, length);
            } catch (SamplingException e) {
                sim++;
                if (base == null || retries >= options.maxRetries()) {
                    history.add(new Step(sim - 1, 0, Double.NaN, Double.NaN, new double[0], Double.NaN, Double.NaN, Double.NaN, Verdict.FAILED,
                            radius, 0, Double.NaN, Double.NaN, "simulation failed: " + e.getMessage(), length, sampler.steps(length), new int[0], new double[0]));
                    throw new InadmissibleModelException("simulation " + (sim - 1) + " failed" + (base == null ? " at the starting parameters"
                            : " after " + retries + " retries with smaller steps") + ": " + e.getMessage());
                }
                double[] d = difference(view.restrict(theta), view.restrict(base));
                radius = Math.min(radius, 0.25 * 0.5 * QuadraticForm.of(stats.noiseModel(bb, hb, slots, free, pooled).hessian(), d));
                double[] mu = new double[1];
                double[] gf = new double[free];
                RemNoise.NoiseModel nm = stats.noiseModel(bb, hb, slots, free, pooled);
                double[] step = direction(gb, nm.hessian(), free, radius, mu, nm, targetNoise, gf);
                theta = view.embed(add(view.restrict(base), step));
                predicted = NewtonOptimizer.dot(step, gf) + 0.5 * QuadraticForm.of(nm.hessian(), step);
                retries++;
                history.add(new Step(sim - 1, 0, Double.NaN, Double.NaN, new double[0], Double.NaN, Double.NaN, Double.NaN, Verdict.FAILED,
                        radius, 1, predicted, Double.NaN, "simulation failed: " + e.getMessage() + "; step from the accepted point shrunk", length,
                        sampler.steps(length), new int[0], new double[0]));
                state = new State(theta.clone(), base.clone(), gb.clone(), hb.clone(), copy(bb), predicted, radius, sim, retries, List.copyOf(history),
                        null, length, pooled, drifting);
                notify(listener, state, null);
                continue;
            }
            retries = 0;
            ReweightedEnsemble ensemble = new ReweightedEnsemble(samples, options.beta(), options.essMin());
            TiedObjective obj = new TiedObjective(new LinearRemObjective(options.beta(), target, ensemble, regularizer), slots, offs);
            double[] x = obj.restrict(theta);
            Objective.Evaluation here = obj.evaluate(x);
            double[] z2 = stats.standardizedSquares(here.gradient(), samples, targetVar, slots, free);
            double noise = RemNoise.mean(z2, null, 0);
            double[] termNoise = RemNoise.perGroup(z2, slots, groups);
            int[] worst = new int[termNoise.length];
            double[] worstZ = new double[termNoise.length];
            RemNoise.worstPerGroup(z2, slots, groups, worst, worstZ);
            sim++;
            // measure the step that led here
            Verdict verdict = Verdict.START;
            double measured = Double.NaN;
            double error = Double.NaN;
            double rho = Double.NaN;
            double stepKl = 0;
            String stateChange = "";
            boolean poolable = false;
            if (base != null) {
                double[] d = difference(x, obj.restrict(base));
                measured = measuredChange(gb, here.gradient(), hb, here.hessian(), d);
                double[] dfull = difference(theta, base);
                double[] blocks = samples.blockMeans(options.blocks());
                error = options.beta() * Math.sqrt(0.25 * (Samples.varianceOfMean(bb, dfull) + Samples.varianceOfMean(blocks, dfull)));
                rho = measured / predicted;
                RemNoise.NoiseModel nb = stats.noiseModel(bb, hb, slots, free, pooled);   // the accepted point's, as the step was taken
                stepKl = 0.5 * QuadraticForm.of(nb.hessian(), d);   // the metric the step was bounded in
                boolean significant = Math.abs(predicted) > 2 * error;
                if (significant) {
                    verdict = rho > 0 ? Verdict.ACCEPTED : Verdict.REJECTED;
                    // shrink only when the decrease is significantly short of a quarter of the prediction: a rho
                    // below 1/4 that the measurement's noise explains must not collapse the radius
                    if (rho < 0.25 && (rho <= 0 || measured - 0.25 * predicted > 2 * error)) {
                        radius = 0.25 * stepKl;           // half the step length
                    } else if (rho > 0.75 && stepKl >= 0.64 * radius) {
                        radius = Math.min(4 * radius, maxRadius);   // twice the length
                    } else if (rho < 0.5) {
                        // a step that fell well short of its prediction bounds the next one, also when the radius did
                        // not: otherwise unbounded Newton steps on a poorly sampled Hessian go on over-predicting. A
                        // milder response than halving, so the point estimate of rho suffices (also below 1/4 when
                        // the noise explains the shortfall)
                        radius = Math.min(radius, 0.5 * stepKl);   // 0.7 times the length
                    }
                } else {
                    // a long step whose measurement is all noise is no evidence of progress: the run at its end
                    // fluctuated far beyond what the step's size explains (a phase change, a run that did not settle)
                    boolean lostInNoise = stepKl > NOISE_STEP_KL;
                    verdict = measured > 2 * error || lostInNoise ? Verdict.REJECTED : Verdict.NOISE;
                    if (verdict == Verdict.REJECTED) {
                        radius = 0.25 * stepKl;
                    }
                }
                // the measured change integrates gradients along a smooth path; a step that carried the model into
                // another state (demixing, clustering: seen on a methanol-water mixture) fools it. Two signs of that:
                // the gradient's noise (per unit of run length) or the gradient in the accepted point's noise metric
                // grew several-fold from the accepted point
                Step ref = lastAccepted(history);
                // only a step long enough to change the model materially can be blamed for a state change; after a
                // shorter one a grown gradient says that the accepted point's own run had not settled (a slowly
                // demixing model: on the methanol-water mixture four ever shorter steps, down to 0.15 nats, met ever
                // larger gradients), and the new measurement replaces it; the next step, whatever its length, is then
                // not judged by these rules either (the drift goes on and would be blamed on it: on the mixture steps
                // of 7 and 1.8 nats alternated, rejected and accepted, while the noise ratio ran from 43 to 1054; with
                // the next step exempt it went on to 67). (Restoring the radius that the steps wrongly blamed for the
                // drift had shrunk was tried: the next, long step went to a noise ratio of 1809.)
                boolean exempt = drifting;
                drifting = false;
                if (verdict != Verdict.REJECTED && ref != null && ref.noise() > FAR * gradientThreshold(free) && stepKl <= NOISE_STEP_KL) {
                    drifting = RemNoise.fixedMetric(here.gradient(), nb, targetNoise) > GRADIENT_GROWTH * RemNoise.fixedMetric(gb, nb, targetNoise);
                    if (drifting) {
                        stateChange = "the accepted point's run had not settled (the gradient grew after a short step)";
                    }
                } else if (!exempt && verdict != Verdict.REJECTED && ref != null && ref.noise() > 0 && stepKl > NOISE_STEP_KL) {
                    // the gradient in a fixed metric: both points' gradients in units of the accepted point's noise
                    double growth = RemNoise.fixedMetric(here.gradient(), nb, targetNoise) / RemNoise.fixedMetric(gb, nb, targetNoise);
                    double varNew = here.gradientNorm() * here.gradientNorm() / Math.max(noise, 1e-300) * length;
                    double varRef = ref.gradientNorm() * ref.gradientNorm() / ref.noise() * ref.length();
                    double varGrowth = varNew / varRef;
                    boolean far = ref.noise() > FAR * gradientThreshold(free);
                    if (varGrowth > STATE_CHANGE || (growth > GRADIENT_GROWTH && far)) {
                        stateChange = varGrowth > STATE_CHANGE
                                ? String.format(Locale.ROOT, "rejected: the gradient's noise grew %.3g-fold (the step left the accepted state)", varGrowth)
                                : String.format(Locale.ROOT, "rejected: the gradient grew %.3g-fold in the accepted point's noise metric", growth);
                        verdict = Verdict.REJECTED;
                        radius = 0.25 * stepKl;
                    }
                }
                poolable = options.filterNoise();
                radius = Math.max(radius, 1e-12 * options.trustRadius());
            }
            boolean accepted = verdict != Verdict.REJECTED;
            sampler.verdict(accepted);
            long mdSteps = sampler.steps(length);
            boolean criteria = converged(z2, slots, groups, termNoise.length);
            if (criteria && length >= 1) {
                history.add(new Step(sim - 1, samples.frames(), here.gradientNorm(), noise, termNoise, measured, error, rho, verdict, radius, 0, 0, 1,
                        "converged", length, mdSteps, worst, worstZ));
                state = new State(theta.clone(), theta.clone(), here.gradient(), here.hessian(), samples.blockMeans(options.blocks()), 0, radius, sim, 0,
                        List.copyOf(history), Stop.CONVERGED, length, 0, false);
                notify(listener, state, samples);
                return state;
            }
            if (accepted) {
                double[] blocksHere = samples.blockMeans(options.blocks());
                double own = RemNoise.effectiveFrames(stats.noiseModel(blocksHere, here.hessian(), slots, free));
                // an old estimate is worth its staleness only where the new one is singular in effect (more
                // coefficients than effective frames): full weight from twice as many, none up to as many
                double old = poolable && own > 0
                        ? POOL_MEMORY * Math.min(1, Math.max(0, free / own - 1)) * (pooled > 0 ? pooled : RemNoise.effectiveFrames(stats.noiseModel(bb, hb, slots, free)))
                        : 0;
                if (old > 0) {
                    double[] h = here.hessian();
                    double[] mix = new double[h.length];
                    for (int i = 0; i < h.length; i++) {
                        mix[i] = (own * h[i] + old * hb[i]) / (own + old);
                    }
                    hb = mix;
                    pooled = own + old;
                } else {
                    hb = here.hessian();
                    pooled = 0;
                }
                base = theta.clone();
                gb = here.gradient();
                bb = blocksHere;
            }
            double[] mu = new double[1];
            double[] xb = obj.restrict(base);
            double[] gf = new double[free];
            RemNoise.NoiseModel nm = stats.noiseModel(bb, hb, slots, free, pooled);
            double[] d = direction(gb, nm.hessian(), free, radius, mu, nm, targetNoise, gf);
            double[] x1 = add(xb, d);
            predicted = NewtonOptimizer.dot(d, gf) + 0.5 * QuadraticForm.of(nm.hessian(), d);
            int steps = 1;
            double ess = Double.NaN;
            StringBuilder note = new StringBuilder(stateChange);
            if (nm.relative() > 0) {
                note.append(note.length() == 0 ? "" : "; ");
                note.append(String.format(Locale.ROOT, "Hessian from %.3g effective frames%s", pooled > 0 ? pooled : 1 / nm.relative(),
                        pooled > 0 ? " (pooled)" : ""));
            }
            if (mu[0] > 0) {
                note.append(note.length() == 0 ? "" : "; ");
                note.append(String.format(Locale.ROOT, "damped (mu %.3g)", mu[0]));
            }
            double[] next = obj.embed(x1);
            if (accepted) {
                double ess1 = ensemble.essFraction(next);
                // reweighted iterations head for the minimum of these frames' objective, noise included: only
                // worth it while the step is limited by the radius or the cap (far from the optimum, where the
                // frames' curvature beyond the quadratic model helps); a full filtered Newton step stands as it is
                boolean reweight = ess1 >= options.essMin() && (mu[0] > 0 || !options.filterNoise());
                if (!reweight && ess1 >= options.essMin()) {
                    ess = ess1;
                } else if (reweight) {
                    NewtonOptimizer newton = new NewtonOptimizer(NewtonOptimizer.Options.defaults().withMaxIterations(options.newtonPerSimulation())
                            .withGradientTolerance(1e-9 * Math.max(1, here.gradientNorm())));
                    NewtonOptimizer.Result r = newton.minimize(obj, x1);
                    // the reweighted estimate is trusted within the radius too: beyond it, minimizing the
                    // frames' noise would pass for progress
                    double[] dr = difference(r.theta(), xb);
                    if (r.iterations() > 0 && 0.5 * QuadraticForm.of(hb, dr) <= radius) {
                        next = obj.embed(r.theta());
                        steps += r.iterations();
                        predicted = r.value() - here.value();
                    } else if (r.iterations() > 0) {
                        note.append(note.length() == 0 ? "" : "; ").append("reweighted steps beyond the radius dropped");
                    }
                    ess = ensemble.essFraction(next);
                } else {
                    ess = ess1;
                    note.append(note.length() == 0 ? "" : "; ").append(String.format(Locale.ROOT, "quadratic model (ESS %.2g)", ess1));
                }
            } else {
                note.append(note.length() == 0 ? "" : "; ").append("from the accepted point");
            }
            double used = length;
            length = nextLength(length, noise, free, criteria);
            if (length > used) {
                note.append(note.length() == 0 ? "" : "; ").append(String.format(Locale.ROOT, "next simulation %.3g x longer", length / used));
            }
            history.add(new Step(sim - 1, samples.frames(), here.gradientNorm(), noise, termNoise, measured, error, rho, verdict, radius, steps,
                    predicted, ess, note.toString(), used, mdSteps, worst, worstZ));
            theta = next;
            state = new State(theta.clone(), base.clone(), gb.clone(), hb.clone(), copy(bb), predicted, radius, sim, 0, List.copyOf(history), null, length, pooled, drifting);
            notify(listener, state, samples);
        }
        double[] result = base != null ? base : theta;
        state = new State(result.clone(), base == null ? null : base.clone(), gb, hb, copy(bb), 0, radius, sim, retries, List.copyOf(history),
                Stop.MAX_SIMULATIONS, length, pooled, drifting);
        notify(listener, state, null);
        return state;
    }

    /**
     * Length of the next simulation. Far from the optimum a simulation's job is the direction of
     * the next step, which a short run gives as well as a long one while the gradient stands far
     * above its noise; the full length is needed to resolve the last steps and to judge
     * convergence (which is only declared on a full-length simulation, so its strictness does not
     * depend on the schedule). The length stays while the gradient criterion's statistic (mean
     * g^2/var(g)) exceeds {@link #FAR} times its convergence threshold, and doubles otherwise
     * (also when the criteria already hold on a short run). Growing after poor steps (rho below
     * 1/2 with frames too few to reweight) was tried on the methanol-water mixture and dropped: the
     * longer run then accepted a metastable point that demixed in the validation run. Doubling rather than a jump to the
     * full length: a step from a run of length L leaves an error of about the noise of L, which a
     * full-length run F sees as mean g^2/var(g) ~ 1 + F/L, so a jump from a quarter length tends
     * to cost a third full-length simulation (measured on the SPC/E example: 93 500 MD steps with
     * the jump, 82 500 doubling).
     */
    double nextLength(double length, double noise, int free, boolean criteria) {
        if (length >= 1) {
            return 1;
        }
        double threshold = gradientThreshold(free);
        if (noise > FAR * threshold && !criteria) {
            return length;
        }
        return Math.min(1, 2 * length);
    }

    /**
     * Growth factor of the gradient's sampling variance (per unit run length) beyond which a step is taken to
     * have carried the model into another state and is rejected: a demixing or clustering model fluctuates
     * far more than a homogeneous one. The noise ratio itself is no such sign: it fluctuates from run to run
     * (on the methanol-water mixture a rule on its growth locked onto one low fluctuation and rejected four
     * later steps that each measured a significant decrease of S).
     */
    static final double STATE_CHANGE = 16;

    /**
     * Far from convergence, a step after which the gradient (in the accepted point's noise metric, so that a
     * noisier run cannot hide it) is more than this factor larger is rejected, whatever the measured change of S
     * says. Near a demixing instability the measured change from the end-point gradients, fed by the slow
     * concentration fluctuations there, can look like progress: on the methanol-water mixture an accepted step
     * with rho 2.0 led to a gradient 1.7 times larger (2.9 in that metric) and nine times noisier, and the step
     * after it to a noise ratio of 1136 from 71. A Newton step on a convex function that the quadratic model
     * describes shrinks the gradient.
     */
    static final double GRADIENT_GROWTH = 2;

    /**
     * The Hessian of an accepted point is pooled with the previous accepted point's (itself pooled), the older
     * one's effective frames weighted by this factor (a memory of about two accepted simulations) where the new
     * estimate has at least twice as many coefficients as effective frames, by none where it has at most as many,
     * and linearly in between: with enough frames per coefficient the fresh estimate, shrunk (towards the prior
     * or its diagonal), is better than a stale one (a ten-coefficient test with 4600 effective frames per simulation took steps of
     * half the Newton length with the full weight, rho 1.5-3, the old Hessians still holding the start's
     * curvature). The covariance of a few hundred coefficients from a few dozen effective frames (a quarter-length run of the methanol-water
     * mixture: 241 coefficients, 30-80 effective frames) is mostly noise off its diagonal, while an accepted step
     * changes the true covariance far less. Gating the pooling on the curvature along the step (d.H.d at both
     * ends within a factor 2) was tried and dropped: the Newton step favours the directions whose curvature the
     * old estimate understates, so the ratio mostly measured that bias and the pool kept being reset.
     */
    static final double POOL_MEMORY = 0.5;

    /**
     * The default initial trust radius for a system of n particles: {@link #DEFAULT_TRUST_RADIUS} nats per 512
     * particles, at least {@link #DEFAULT_TRUST_RADIUS}. The relative entropy between two models, and the error of
     * its quadratic model for a given change of the potential, are both extensive: a radius in nats that suits
     * 512 beads limits a 4000-bead system to an eighth of the same per-bead change.
     */
    public static double defaultTrustRadius(int particles) {
        return DEFAULT_TRUST_RADIUS * Math.max(1, particles / 512.0);
    }

    /** The step of the simulation the current accepted point came from, or null. */
    private static Step lastAccepted(List<Step> history) {
        for (int i = history.size() - 1; i >= 0; i--) {
            Verdict v = history.get(i).verdict();
            if (v == Verdict.START || v == Verdict.ACCEPTED || v == Verdict.NOISE) {
                return history.get(i);
            }
        }
        return null;
    }

    /** A matrix over all parameters summed into the free ones (ties add; fixed parameters, slot -1, drop out). */
    public static double[] freeMatrix(double[] full, int[] slots, int free) {
        int m = slots.length;
        if (full.length != m * m) {
            throw new IllegalArgumentException("Hessian prior of " + full.length + " entries for " + m + " parameters");
        }
        double[] out = new double[free * free];
        for (int i = 0; i < m; i++) {
            if (slots[i] < 0) {
                continue;
            }
            for (int j = 0; j < m; j++) {
                if (slots[j] >= 0) {
                    out[slots[i] * free + slots[j]] += full[i * m + j];
                }
            }
        }
        return out;
    }

    /** "Far from converged": the gradient statistic above this multiple of its threshold (about a 3-sigma gradient per coefficient). */
    static final double FAR = 8;

    /**
     * The Levenberg-Marquardt step from (g, H) within the trust radius (nats) and the per-coefficient
     * cap, on the gradient filtered for its noise ({@link NewtonOptimizer#dampedDirection(double[],
     * double[], int, double, double, double[], double, double[], double[])}); {@code filtered}
     * receives the filtered gradient, the one the step's predicted change is computed with.
     */
    private double[] direction(double[] g, double[] h, int n, double radius, double[] mu, RemNoise.NoiseModel noise, double[] targetNoise, double[] filtered) {
        NewtonOptimizer newton = new NewtonOptimizer(NewtonOptimizer.Options.defaults()
                .withGradientTolerance(1e-9 * Math.max(1, Math.sqrt(NewtonOptimizer.dot(g, g)))));
        if (!options.filterNoise()) {
            System.arraycopy(g, 0, filtered, 0, n);
            return newton.dampedDirection(g, h, n, options.maxStep() / options.beta(), 2 * radius, mu);
        }
        return newton.dampedDirection(g, h, n, options.maxStep() / options.beta(), 2 * radius, mu, noise.relative(), noise.coefficients(), targetNoise,
                filtered);
    }

    /**
     * The change of S along d from a point with gradient g0 and Hessian h0 to one with g1 and h1,
     * by the two-point Hermite rule: the integral of g(t).d over t in [0, 1] from the end values
     * of g.d and of its derivative d.H.d, (g0 + g1).d / 2 + (d.H0.d - d.H1.d) / 12, exact when S
     * is a polynomial of degree up to 4 along d. S is convex for a linear model, so g(t).d
     * increases along the step and the change lies between g0.d and g1.d; the estimate is held
     * within these bounds (long steps, where the correction term is unreliable).
     */
    public static double measuredChange(double[] g0, double[] g1, double[] h0, double[] h1, double[] d) {
        double a = NewtonOptimizer.dot(g0, d);
        double b = NewtonOptimizer.dot(g1, d);
        double hermite = 0.5 * (a + b) + (QuadraticForm.of(h0, d) - QuadraticForm.of(h1, d)) / 12;
        return Math.max(Math.min(a, b), Math.min(Math.max(a, b), hermite));
    }

    /** Whether every convergence criterion holds for the standardized squares z2 of the free parameters. */
    private boolean converged(double[] z2, int[] slots, int[] groups, int groupCount) {
        ConvergenceCriterion.GradientNoise evidence = new ConvergenceCriterion.GradientNoise(z2, RemNoise.slotGroups(slots, groups, z2.length), groupCount);
        for (ConvergenceCriterion c : criteria) {
            if (!c.holds(evidence)) {
                return false;
            }
        }
        return true;
    }

    /** The accepted point's noise model ({@link RemNoise#noiseModel}), for tests. */
    RemNoise.NoiseModel noiseModel(double[] blockMeans, double[] h, int[] slots, int free) {
        return stats.noiseModel(blockMeans, h, slots, free);
    }

    /** Gradient-criterion threshold for m coefficients: the option, or by default the distribution criterion's rule. */
    private double gradientThreshold(int m) {
        return Double.isNaN(options.noiseThreshold()) ? termThreshold(m) : options.noiseThreshold();
    }

    /** Distribution-criterion threshold for an interaction with {@code used} informative parameters ({@link ConvergenceCriterion.Distribution}). */
    public static double termThreshold(int used) {
        return ConvergenceCriterion.Distribution.threshold(used);
    }

    /** v times f (v itself when f is 1 or v is null). */
    private static double[] scaled(double[] v, double f) {
        if (v == null || f == 1) {
            return v;
        }
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = f * v[i];
        }
        return out;
    }

    private static double[] copy(double[] a) {
        return a == null ? null : a.clone();
    }

    private static double[] difference(double[] a, double[] b) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i] - b[i];
        }
        return d;
    }

    private static double[] add(double[] a, double[] b) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i] + b[i];
        }
        return d;
    }

    /** An ensemble that is never evaluated: only gives {@link TiedObjective} its dimensions. */
    private record Fixed(int size) implements ModelEnsemble {
        @Override
        public Moments moments(double[] theta, boolean withCov) {
            throw new UnsupportedOperationException();
        }
    }

    private static void notify(Listener listener, State state, Samples samples) {
        if (listener != null) {
            try {
                listener.after(state, samples);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    private static int[] identity(int m) {
        int[] t = new int[m];
        Arrays.setAll(t, i -> i);
        return t;
    }

    /** One-line summary of a step for logs. */
    public static String describe(Step s) {
        StringBuilder t = new StringBuilder();
        for (double v : s.termNoise()) {
            t.append(t.length() == 0 ? "" : " ").append(String.format(Locale.ROOT, "%.2f", v));
        }
        return String.format(Locale.ROOT, "sim %d: %d frames (%d MD steps), |g| %.3g, noise ratio %.2f (per interaction: %s); step in: %s, dS measured %.4g"
                + " +- %.2g, rho %.2f; next: radius %.3g nats, predicted dS %.4g, ESS %.2g %s",
                s.simulation(), s.frames(), s.mdSteps(), s.gradientNorm(), s.noise(), t, s.verdict().name().toLowerCase(Locale.ROOT), s.measuredChange(),
                s.measuredError(), s.rho(), s.radius(), s.predictedChange(), s.ess(), s.note());
    }
}

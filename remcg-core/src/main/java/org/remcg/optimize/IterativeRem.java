package org.remcg.optimize;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Relative-entropy minimization for models whose averages must be sampled: simulate at theta,
 * then take Newton steps on the reweighted objective (gradient beta (&lt;phi&gt;_target -
 * &lt;phi&gt;_theta), Hessian beta^2 Cov_theta(phi)) as long as the stored frames support them
 * (effective sample size above {@code essMin}), and only then simulate again.
 *
 * <p>Convergence is statistical: at the start of each simulation's analysis the gradient is
 * compared with its own noise, var(g_k) = beta^2 (var of the target mean + var of the sampled
 * mean), both from block averages. The run has converged when the mean of g_k^2 / var(g_k) over
 * the free parameters is below {@code noiseThreshold} (1 is what pure noise gives on average;
 * the default 1 + 3 sqrt(2 / m) is the upper 3-sigma edge of that for independent features).
 *
 * <p>Each simulation's update starts with the Newton step of its own gradient and covariance
 * Hessian, Levenberg-Marquardt damped (d = -(H + mu I)^-1 g, the smallest mu) so that no
 * coefficient changes by more than a trust radius (at most {@code maxStep} kT): poorly sampled
 * directions shrink first. The radius halves when the gradient's noise ratio rose since the
 * previous simulation (the step overshot) and doubles back when it fell below half. Relative
 * entropy is extensive: in a large system even a small change of the pair potential moves the
 * whole-configuration weights so far that the ESS collapses, although the quadratic model of
 * S is still excellent. The damped Newton step is therefore taken on the strength of the
 * sampled Hessian alone; only when the ESS at that point is still above {@code essMin} do
 * further reweighted Newton iterations follow on the same frames (small systems, late
 * iterations).
 *
 * <p>A sampler failure (a simulation that blows up) halves the last parameter change and tries
 * again, up to {@code maxRetries} times in a row; a failure at the starting parameters is fatal.
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
        /** The gradient is within its statistical noise. */
        CONVERGED,
        /** The simulation budget is used up. */
        MAX_SIMULATIONS
    }

    /**
     * @param maxSimulations      simulation budget (including the final one that shows convergence)
     * @param essMin              ESS floor (fraction of frames) for reweighted steps
     * @param newtonPerSimulation at most this many Newton iterations on one simulation's frames
     * @param blocks              blocks for the sampled mean's error estimate
     * @param noiseThreshold      convergence threshold on mean g^2/var(g); NaN = default 1 + 3 sqrt(2/m)
     * @param maxRetries          consecutive step halvings after failed simulations before giving up
     * @param maxStep             largest change of any coefficient by the Newton step of one simulation, in kT
     *                            (for bases that sum to one, like B-splines, a bound on the change of the potential)
     */
    public record Options(double beta, int maxSimulations, double essMin, int newtonPerSimulation, int blocks,
                          double noiseThreshold, int maxRetries, double maxStep) {
        public Options {
            if (!(beta > 0) || maxSimulations < 1 || newtonPerSimulation < 1 || blocks < 2 || maxRetries < 0 || !(maxStep > 0)) {
                throw new IllegalArgumentException("invalid REM loop options " + this);
            }
        }

        public static Options defaults(double beta) {
            return new Options(beta, 30, 0.5, 20, 10, Double.NaN, 4, DEFAULT_MAX_STEP);
        }

        public Options withMaxSimulations(int n) {
            return new Options(beta, n, essMin, newtonPerSimulation, blocks, noiseThreshold, maxRetries, maxStep);
        }

        public Options withEssMin(double e) {
            return new Options(beta, maxSimulations, e, newtonPerSimulation, blocks, noiseThreshold, maxRetries, maxStep);
        }

        public Options withMaxStep(double kT) {
            return new Options(beta, maxSimulations, essMin, newtonPerSimulation, blocks, noiseThreshold, maxRetries, kT);
        }
    }

    /** Default cap on the change of any coefficient per simulation, in kT (see the class comment). */
    public static final double DEFAULT_MAX_STEP = 2.0;

    /**
     * What happened with one simulation.
     *
     * @param simulation      0-based simulation index
     * @param frames          frames it produced (0 when it failed)
     * @param gradientNorm    |g| at its parameters (free parameters; NaN when it failed)
     * @param noise           mean g^2/var(g) at its parameters
     * @param newtonSteps     accepted reweighted Newton iterations taken on its frames
     * @param predictedChange reweighted estimate of the change of S over those steps
     * @param ess             ESS fraction at the parameters it handed on
     * @param note            what else happened (failure message), or empty
     */
    public record Step(int simulation, int frames, double gradientNorm, double noise, int newtonSteps, double predictedChange,
                       double ess, String note) {
    }

    /**
     * Resumable state after a simulation's update: the parameters the next simulation runs at,
     * the parameters before the last update (for step halving), the number of simulations so far
     * and the history. A run resumed from this state with the same sampler repeats an
     * uninterrupted run.
     */
    public record State(double[] theta, double[] previous, int simulations, int retries, List<Step> history, Stop stop) {
    }

    private final Options options;

    public IterativeRem(Options options) {
        this.options = options;
    }

    /**
     * Runs the loop.
     *
     * @param target        target feature means &lt;phi&gt;_target
     * @param targetVar     variance of each target mean (block estimate), or null for exact targets
     * @param theta0        starting parameters (full vector; tied ones must already satisfy their ties)
     * @param tie           tie slot per parameter (see {@link TiedObjective}), or null when all are free
     * @param offset        tie offsets, or null
     * @param resume        state to continue from, or null
     * @param listener      called after each simulation, or null
     */
    public State run(double[] target, double[] targetVar, double[] theta0, int[] tie, double[] offset, Regularizer regularizer,
            Sampler sampler, State resume, Listener listener) {
        int m = target.length;
        int[] slots = tie != null ? tie.clone() : identity(m);
        double[] offs = offset != null ? offset.clone() : new double[m];
        State state = resume != null ? resume
                : new State(theta0.clone(), null, 0, 0, new ArrayList<>(), null);
        List<Step> history = new ArrayList<>(state.history());
        double[] theta = state.theta().clone();
        double[] previous = state.previous() == null ? null : state.previous().clone();
        int retries = state.retries();
        int sim = state.simulations();
        if (state.stop() != null) {
            return state;
        }
        while (sim < options.maxSimulations()) {
            Samples samples;
            try {
                samples = sampler.sample(theta, sim);
            } catch (SamplingException e) {
                history.add(new Step(sim, 0, Double.NaN, Double.NaN, 0, Double.NaN, Double.NaN, "simulation failed: " + e.getMessage()));
                sim++;
                if (previous == null || retries >= options.maxRetries()) {
                    throw new InadmissibleModelException("simulation " + (sim - 1) + " failed" + (previous == null ? " at the starting parameters"
                            : " after " + retries + " step halvings") + ": " + e.getMessage());
                }
                for (int k = 0; k < m; k++) {
                    theta[k] = previous[k] + 0.5 * (theta[k] - previous[k]);
                }
                retries++;
                state = new State(theta.clone(), previous.clone(), sim, retries, List.copyOf(history), null);
                notify(listener, state, null);
                continue;
            }
            retries = 0;
            ReweightedEnsemble ensemble = new ReweightedEnsemble(samples, options.beta(), options.essMin());
            LinearRemObjective full = new LinearRemObjective(options.beta(), target, ensemble, regularizer);
            TiedObjective obj = new TiedObjective(full, slots, offs);
            double[] x = obj.restrict(theta);
            Objective.Evaluation here = obj.evaluate(x);
            double noise = noiseRatio(here.gradient(), samples, targetVar, slots, obj.dimension());
            double threshold = Double.isNaN(options.noiseThreshold()) ? 1 + 3 * Math.sqrt(2.0 / obj.dimension()) : options.noiseThreshold();
            sim++;
            if (noise < threshold) {
                history.add(new Step(sim - 1, samples.frames(), here.gradientNorm(), noise, 0, 0, 1, "converged"));
                state = new State(theta.clone(), previous == null ? null : previous.clone(), sim, 0, List.copyOf(history), Stop.CONVERGED);
                notify(listener, state, samples);
                return state;
            }
            NewtonOptimizer newton = new NewtonOptimizer(NewtonOptimizer.Options.defaults().withMaxIterations(options.newtonPerSimulation())
                    .withGradientTolerance(1e-9 * Math.max(1, here.gradientNorm())));
            // the sampled Newton step, Levenberg-Marquardt damped so that no coefficient moves by more than maxStep kT
            double[] mu = new double[1];
            double radius = trustRadius(history, noise);
            double[] d = newton.dampedDirection(here.gradient(), here.hessian(), obj.dimension(), radius / options.beta(), mu);
            double[] x1 = x.clone();
            for (int k = 0; k < x1.length; k++) {
                x1[k] += d[k];
            }
            double quadratic = NewtonOptimizer.dot(d, here.gradient()) + 0.5 * quadForm(here.hessian(), d);
            double ess1 = ensemble.essFraction(obj.embed(x1));
            double[] next;
            int steps = 1;
            double predicted = quadratic;
            String note = mu[0] > 0 ? String.format(java.util.Locale.ROOT, "damped to %.2g kT (mu %.3g)", radius, mu[0]) : "";
            if (ess1 >= options.essMin()) {
                NewtonOptimizer.Result r = newton.minimize(obj, x1);
                next = obj.embed(r.theta());
                steps += r.iterations();
                predicted = r.value() - here.value();
            } else {
                next = obj.embed(x1);
                note = (note.isEmpty() ? "" : note + "; ") + "taken on the quadratic model (ESS " + String.format(java.util.Locale.ROOT, "%.2g", ess1) + ")";
            }
            double ess = ensemble.essFraction(next);
            history.add(new Step(sim - 1, samples.frames(), here.gradientNorm(), noise, steps, predicted, ess, note));
            previous = theta;
            theta = next;
            state = new State(theta.clone(), previous.clone(), sim, 0, List.copyOf(history), null);
            notify(listener, state, samples);
        }
        state = new State(theta.clone(), previous == null ? null : previous.clone(), sim, retries, List.copyOf(history), Stop.MAX_SIMULATIONS);
        notify(listener, state, null);
        return state;
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

    /**
     * Mean of g_k^2 / var(g_k) over the free parameters with non-zero variance, where var(g) is
     * propagated through the ties from the per-feature variances.
     */
    double noiseRatio(double[] g, Samples samples, double[] targetVar, int[] slots, int free) {
        double b2 = options.beta() * options.beta();
        double[] vm = samples.varianceOfMean(options.blocks());
        double[] var = new double[free];
        for (int i = 0; i < slots.length; i++) {
            if (slots[i] < 0) {
                continue;
            }
            double v = vm[i] + (targetVar != null ? targetVar[i] : 0);
            var[slots[i]] += b2 * v;   // ties sum the gradient components; variances add (correlations ignored)
        }
        double s = 0;
        int used = 0;
        for (int k = 0; k < free; k++) {
            if (var[k] > 0 && Double.isFinite(var[k])) {
                s += g[k] * g[k] / var[k];
                used++;
            }
        }
        return used == 0 ? 0 : s / used;
    }

    /**
     * The trust radius (kT per coefficient) for the next step, replayed from the history so that
     * a resumed run uses the same radii: it starts at {@code maxStep}, halves whenever the noise
     * ratio rose from one simulation to the next (the last step overshot) and doubles, up to
     * {@code maxStep}, when it fell below half.
     */
    double trustRadius(List<Step> history, double current) {
        double r = options.maxStep();
        double prev = Double.NaN;
        for (Step st : history) {
            if (!Double.isFinite(st.noise())) {
                r *= 0.5;   // a failed simulation: its step was too long
                continue;
            }
            r = adapt(r, prev, st.noise());
            prev = st.noise();
        }
        return adapt(r, prev, current);
    }

    private double adapt(double r, double prev, double now) {
        if (Double.isNaN(prev)) {
            return r;
        }
        if (now > prev) {
            return 0.5 * r;
        }
        if (now < 0.5 * prev) {
            return Math.min(options.maxStep(), 2 * r);
        }
        return r;
    }

    private static double quadForm(double[] h, double[] d) {
        int n = d.length;
        double s = 0;
        for (int i = 0; i < n; i++) {
            double r = 0;
            for (int j = 0; j < n; j++) {
                r += h[i * n + j] * d[j];
            }
            s += d[i] * r;
        }
        return s;
    }

    private static int[] identity(int m) {
        int[] t = new int[m];
        Arrays.setAll(t, i -> i);
        return t;
    }

    /** One-line summary of a step for logs. */
    public static String describe(Step s) {
        return String.format(Locale.ROOT, "sim %d: %d frames, |g| %.3g, noise ratio %.2f, %d Newton steps, predicted dS %.4g, ESS %.2f %s",
                s.simulation(), s.frames(), s.gradientNorm(), s.noise(), s.newtonSteps(), s.predictedChange(), s.ess(), s.note());
    }
}

package org.remcg.fit.problem;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.remcg.fit.FitTerm;
import org.remcg.fit.ForceMatching;
import org.remcg.fit.RemFit;
import org.remcg.model.CubicBSpline;
import org.remcg.model.ParameterLayout;
import org.remcg.optimize.ConvergenceCriterion;
import org.remcg.optimize.IterativeRem;

/**
 * The outcome of a molecular fit, whichever method produced it: the coefficients in the terms' layout, the
 * parameters of every simulation (the start first), the loop's state with its history (a one-point history-less
 * state for methods without iterations) and the start with its ties. The texts derived from it (history.csv, the
 * stop reason, the statement of a fit that did not converge) live here so that every front end says the same.
 *
 * @param method the configuration's method: {@code rem} or {@code force-matching}
 * @param terms  the fitted terms, in parameter order
 * @param state  the loop's final (or, while it runs, current) state
 * @param thetas the parameters before every simulation, the start first (one entry for a method without iterations)
 * @param start  the start: coefficients, ties and offsets, and the Boltzmann inversion of each term when it came from one
 */
public record FitResult(String method, List<FitTerm> terms, IterativeRem.State state, List<double[]> thetas, RemFit.Start start) {

    public FitResult {
        terms = List.copyOf(terms);
        thetas = List.copyOf(thetas);
    }

    /** A relative-entropy result (or the loop's state while it runs). */
    public static FitResult rem(List<FitTerm> terms, IterativeRem.State state, List<double[]> thetas, RemFit.Start start) {
        return new FitResult("rem", terms, state, thetas, start);
    }

    /** A force-matching result: no iterations, the least-squares coefficients as the final point. */
    public static FitResult forceMatching(List<FitTerm> terms, ForceMatching.Result r) {
        return new FitResult("force-matching", terms, IterativeRem.State.result(r.theta()), List.of(r.theta()), r.asStart());
    }

    /** The fitted coefficients (the last accepted point of a loop that ran out of budget). */
    public double[] theta() {
        return state.theta();
    }

    /** The parameter layout of the terms. */
    public ParameterLayout layout() {
        return FitTerm.layout(terms);
    }

    /** The fitted coefficients keyed by term name ({@code pair W-W}, ...), in parameter order. */
    public Map<String, double[]> coefficients() {
        ParameterLayout l = layout();
        Map<String, double[]> m = new LinkedHashMap<>();
        for (int q = 0; q < l.count(); q++) {
            m.put(l.block(q).name(), l.slice(theta(), q));
        }
        return m;
    }

    /** Whether the loop stopped because its budget ran out rather than by convergence. */
    public boolean budgetExhausted() {
        return state.stop() == IterativeRem.Stop.MAX_SIMULATIONS;
    }

    /** MD steps of all the fit's simulations (from its history, so a resumed run counts the earlier process's too). */
    public long totalSteps() {
        long n = 0;
        for (IterativeRem.Step st : state.history()) {
            n += st.mdSteps();
        }
        return n;
    }

    /** Each simulation's MD steps, comma-separated. */
    public String stepsPerSimulation() {
        StringBuilder sb = new StringBuilder();
        for (IterativeRem.Step st : state.history()) {
            sb.append(sb.length() == 0 ? "" : ", ").append(st.mdSteps());
        }
        return sb.toString();
    }

    /** Which criterion stopped the run, in words (empty while it runs). */
    public String stopReason() {
        if (state.stop() == null) {
            return "";
        }
        return state.stop() == IterativeRem.Stop.CONVERGED
                ? "converged: gradient and every interaction's distribution within statistical noise"
                : "max_iterations: simulation budget used up before convergence (result: the last accepted point)";
    }

    /**
     * The plain statement of a fit that stopped at its budget: how many simulations, and each interaction's
     * distribution criterion at the last simulation against its threshold.
     */
    public String notConverged() {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "NOT CONVERGED: the budget of %d simulations ran out before the "
                + "gradient and every distribution were within their statistical noise; the outputs hold the last accepted point.", state.simulations()));
        IterativeRem.Step last = null;
        for (IterativeRem.Step st : state.history()) {
            if (st.termNoise().length > 0) {
                last = st;
            }
        }
        if (last != null) {
            int free = 0;
            for (int q = 0; q < terms.size(); q++) {
                free += start.perTerm().get(q).free();
            }
            double gthr = IterativeRem.termThreshold(free);
            sb.append(String.format(Locale.ROOT, " At simulation %d: noise ratio %.3g (needs < %.3g)%s;", last.simulation(), last.noise(), gthr,
                    last.noise() < gthr ? " ok" : ""));
            // the coefficient criterion: no single coefficient's |g| / sd(g) at or above the bound, named where it is not
            double zmax = ConvergenceCriterion.Coefficient.maxZ(free);
            for (int q = 0; q < terms.size() && q < last.termNoise().length; q++) {
                double thr = IterativeRem.termThreshold(start.perTerm().get(q).free());
                sb.append(String.format(Locale.ROOT, " %s %.3g (needs < %.3g)%s", terms.get(q).name(), last.termNoise()[q], thr,
                        last.termNoise()[q] < thr ? " ok" : ""));
                if (q < last.worstZ().length && !(last.worstZ()[q] < zmax)) {
                    sb.append(String.format(Locale.ROOT, ", but its coefficient at %s is off (every |g| / sd(g) needs < %.3g)",
                            worst(last.worst()[q], last.worstZ()[q]), zmax));
                }
                sb.append(q + 1 < terms.size() ? ";" : ".");
            }
        }
        sb.append(" Raise optimizer.max_iterations or engine.steps and run again (--overwrite).");
        return sb.toString();
    }

    /**
     * history.csv: one row per simulation. noise_ratio is the gradient criterion's statistic,
     * dist_&lt;interaction&gt; the distribution criterion's (mean g^2/var(g) over that interaction's
     * coefficients), then the trust-region measurement of the step that led to the simulation and
     * the step taken from it; the last row's stop column says which criterion stopped the run.
     */
    public String historyCsv() {
        StringBuilder sb = new StringBuilder("simulation,frames,md_steps,gradient_norm,noise_ratio");
        for (FitTerm t : terms) {
            sb.append(",dist_").append(t.fileName());
        }
        for (FitTerm t : terms) {
            sb.append(",worst_").append(t.fileName());
        }
        sb.append(",measured_dS,measured_dS_error,rho,verdict,radius,newton_steps,predicted_dS,ess,stop,note\n");
        List<IterativeRem.Step> steps = state.history();
        for (int i = 0; i < steps.size(); i++) {
            IterativeRem.Step s = steps.get(i);
            sb.append(String.format(Locale.ROOT, "%d,%d,%d,%.6g,%.6g", s.simulation(), s.frames(), s.mdSteps(), s.gradientNorm(), s.noise()));
            for (int q = 0; q < terms.size(); q++) {
                sb.append(String.format(Locale.ROOT, ",%.6g", q < s.termNoise().length ? s.termNoise()[q] : Double.NaN));
            }
            for (int q = 0; q < terms.size(); q++) {
                sb.append(',').append(q < s.worst().length ? worst(s.worst()[q], s.worstZ()[q]) : "");
            }
            String stop = i == steps.size() - 1 && state.stop() != null ? stopReason() : "";
            sb.append(String.format(Locale.ROOT, ",%.6g,%.3g,%.4g,%s,%.4g,%d,%.6g,%.4f,%s,%s%n", s.measuredChange(), s.measuredError(), s.rho(),
                    s.verdict().name().toLowerCase(Locale.ROOT), s.radius(), s.newtonSteps(), s.predictedChange(), s.ess(), stop.replace(',', ';'),
                    s.note().replace(',', ';')));
        }
        return sb.toString();
    }

    /**
     * Where an interaction's gradient is largest in units of its noise: the support of that B-spline (its
     * "bin" on the basis grid) and |g| / sd(g), e.g. {@code 0.271-0.325 nm z 4.2}; empty when unknown.
     */
    String worst(int coefficient, double z) {
        ParameterLayout l = layout();
        int q = coefficient < 0 ? -1 : l.blockOf(coefficient);
        if (q < 0) {
            return "";
        }
        FitTerm t = terms.get(q);
        CubicBSpline b = t.basis();
        int k = coefficient - l.offset(q);
        return String.format(Locale.ROOT, "%.4g-%.4g %s z %.2g", b.supportLower(k), b.supportUpper(k), t.unit(), z);
    }
}

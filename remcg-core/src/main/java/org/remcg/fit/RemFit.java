package org.remcg.fit;

import java.util.ArrayList;
import java.util.List;
import org.remcg.model.ForceField;
import org.remcg.model.SplinePotential;
import org.remcg.optimize.IterativeRem;
import org.remcg.optimize.Regularizer;
import org.remcg.simulate.Engine;

/**
 * Relative-entropy fit of a molecular CG force field: the pieces between the statistics and
 * the loop. One parameter vector theta holds every term's B-spline coefficients, terms in order;
 * the same order lays out the reference features ({@link ReferenceStatistics}) and the engine's
 * per-frame features ({@link ForceField#parameters()}), which {@link #forceField} checks.
 */
public final class RemFit {
    private RemFit() {
    }

    /** The start of a fit: coefficients, ties (global free-parameter slots, -1 fixed) and offsets. */
    public record Start(double[] theta, int[] tie, double[] offset, int free, List<BoltzmannInversion.Start> perTerm) {
    }

    /** Boltzmann inversion of every term's distribution (g(r) for pairs), ties concatenated. */
    public static Start start(List<FitTerm> terms, List<TargetDistribution> distributions, double temperature) {
        return start(terms, distributions, null, temperature);
    }

    /**
     * As {@link #start(List, List, double)}, with each term's potential inverted from {@code sources} (e.g.
     * {@link HncStart}'s pseudo-distributions; null: the distributions themselves) while the distributions
     * decide which coefficients carry data.
     */
    public static Start start(List<FitTerm> terms, List<TargetDistribution> distributions, List<TargetDistribution> sources, double temperature) {
        double kT = Engine.KB * temperature;
        int m = 0;
        for (FitTerm t : terms) {
            m += t.basis().size();
        }
        double[] theta = new double[m];
        int[] tie = new int[m];
        double[] offset = new double[m];
        List<BoltzmannInversion.Start> per = new ArrayList<>();
        int at = 0;
        int free = 0;
        for (int q = 0; q < terms.size(); q++) {
            FitTerm t = terms.get(q);
            BoltzmannInversion.Jacobian jac = switch (t.kind()) {
                case PAIR, DIHEDRAL -> BoltzmannInversion.Jacobian.NONE;
                case BOND -> BoltzmannInversion.Jacobian.R2;
                case ANGLE -> BoltzmannInversion.Jacobian.SINE;
            };
            BoltzmannInversion.Start s;
            try {
                s = BoltzmannInversion.invert(t.basis(), distributions.get(q), sources == null ? null : sources.get(q), kT, jac,
                        t.kind() == FitTerm.Kind.PAIR, 1e-3, 3 * kT);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(t.name() + ": " + e.getMessage(), e);
            }
            per.add(s);
            int k0 = t.basis().size();
            for (int k = 0; k < k0; k++) {
                theta[at + k] = s.theta()[k];
                tie[at + k] = s.tie()[k] < 0 ? -1 : s.tie()[k] + free;
                offset[at + k] = s.offset()[k];
            }
            at += k0;
            free += s.free();
        }
        return new Start(theta, tie, offset, free, per);
    }

    /** The force field of the terms with coefficients theta (pair potentials cut, not shifted, at their cutoffs). */
    public static ForceField forceField(List<FitTerm> terms, double temperature, int hops, double[] theta, int[] expectedOffsets) {
        ForceField.Builder b = ForceField.builder().temperature(temperature).exclusionHops(hops);
        int at = 0;
        for (FitTerm t : terms) {
            int k = t.basis().size();
            double[] c = java.util.Arrays.copyOfRange(theta, at, at + k);
            SplinePotential p = new SplinePotential(t.basis(), c);
            List<String> bd = t.beads();
            switch (t.kind()) {
                case PAIR -> b.pair(bd.get(0), bd.get(1), t.cutoff(), false, p);
                case BOND -> b.bond(bd.get(0), bd.get(1), p);
                case ANGLE -> b.angle(bd.get(0), bd.get(1), bd.get(2), p);
                case DIHEDRAL -> b.dihedral(bd.get(0), bd.get(1), bd.get(2), bd.get(3), p);
            }
            at += k;
        }
        ForceField ff = b.build();
        if (ff.parameterCount() != theta.length) {
            throw new IllegalStateException("force field has " + ff.parameterCount() + " parameters, the fit " + theta.length);
        }
        for (int q = 0; q < terms.size(); q++) {
            if (expectedOffsets != null && ff.parameterOffset(q) != expectedOffsets[q]) {
                throw new IllegalStateException("parameter layout of " + terms.get(q).name() + " differs between engine and statistics");
            }
        }
        return ff;
    }

    /**
     * Runs the loop (a thin convenience over {@link IterativeRem#run}); each term is its own group
     * for the loop's distribution criterion.
     */
    public static IterativeRem.State run(IterativeRem.Options options, double[] targetMean, double[] targetVar, Start start, Regularizer reg,
            IterativeRem.Sampler sampler, IterativeRem.State resume, IterativeRem.Listener listener) {
        return new IterativeRem(options).run(targetMean, targetVar, start.theta(), start.tie(), start.offset(), groups(start), reg, sampler,
                resume, listener);
    }

    /** The term index of every parameter. */
    public static int[] groups(Start start) {
        int[] g = new int[start.theta().length];
        int at = 0;
        for (int q = 0; q < start.perTerm().size(); q++) {
            int k = start.perTerm().get(q).theta().length;
            java.util.Arrays.fill(g, at, at + k, q);
            at += k;
        }
        return g;
    }
}

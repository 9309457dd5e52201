package org.remcg.fit;

import java.util.ArrayList;
import java.util.List;
import org.remcg.model.ForceField;
import org.remcg.model.ParameterLayout;
import org.remcg.model.SplinePotential;
import org.remcg.optimize.IterativeRem;
import org.remcg.optimize.Regularizer;
import org.remcg.units.Units;
import org.remcg.system.InteractionKind;

/**
 * Relative-entropy fit of a molecular CG force field: the pieces between the statistics and
 * the loop. One parameter vector theta holds every term's B-spline coefficients, terms in order;
 * the same order lays out the reference features ({@link ReferenceStatistics}) and the engine's
 * per-frame features ({@link ForceField#parameters()}), which {@link #forceField} checks.
 */
public final class RemFit {
    private RemFit() {
    }

    /**
     * The start of a fit: coefficients, ties (global free-parameter slots, -1 fixed), offsets, the Boltzmann
     * inversion of each term (empty for a start that did not come from one) and the parameter layout.
     */
    public record Start(double[] theta, int[] tie, double[] offset, int free, List<BoltzmannInversion.Start> perTerm, ParameterLayout layout) {
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
        double kT = Units.KB * temperature;
        ParameterLayout layout = FitTerm.layout(terms);
        int m = layout.size();
        double[] theta = new double[m];
        int[] tie = new int[m];
        double[] offset = new double[m];
        List<BoltzmannInversion.Start> per = new ArrayList<>();
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
                        t.kind() == InteractionKind.PAIR, 1e-3, 3 * kT);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(t.name() + ": " + e.getMessage(), e);
            }
            per.add(s);
            int at = layout.offset(q);
            for (int k = 0; k < layout.block(q).size(); k++) {
                theta[at + k] = s.theta()[k];
                tie[at + k] = s.tie()[k] < 0 ? -1 : s.tie()[k] + free;
                offset[at + k] = s.offset()[k];
            }
            free += s.free();
        }
        return new Start(theta, tie, offset, free, per, layout);
    }

    /**
     * The force field of the terms with coefficients theta (pair potentials cut, not shifted, at their cutoffs); its
     * parameter vector has the terms' layout (checked).
     */
    public static ForceField forceField(List<FitTerm> terms, double temperature, int hops, double[] theta) {
        ForceField.Builder b = ForceField.builder().temperature(temperature).exclusionHops(hops);
        ParameterLayout layout = FitTerm.layout(terms);
        for (int q = 0; q < terms.size(); q++) {
            FitTerm t = terms.get(q);
            SplinePotential p = new SplinePotential(t.basis(), layout.slice(theta, q));
            List<String> bd = t.beads();
            switch (t.kind()) {
                case PAIR -> b.pair(bd.get(0), bd.get(1), t.cutoff(), false, p);
                case BOND -> b.bond(bd.get(0), bd.get(1), p);
                case ANGLE -> b.angle(bd.get(0), bd.get(1), bd.get(2), p);
                case DIHEDRAL -> b.dihedral(bd.get(0), bd.get(1), bd.get(2), bd.get(3), p);
            }
        }
        ForceField ff = b.build();
        if (ff.parameterCount() != theta.length || theta.length != layout.size()) {
            throw new IllegalStateException("force field has " + ff.parameterCount() + " parameters, the fit " + theta.length);
        }
        for (int q = 0; q < terms.size(); q++) {
            if (ff.parameterOffset(q) != layout.offset(q)) {
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
        return run(options, null, targetMean, targetVar, start, reg, sampler, resume, listener);
    }

    /** The same with sampled Hessians shrunk towards {@code hessianPrior} (null: their diagonal). */
    public static IterativeRem.State run(IterativeRem.Options options, double[] hessianPrior, double[] targetMean, double[] targetVar, Start start,
            Regularizer reg, IterativeRem.Sampler sampler, IterativeRem.State resume, IterativeRem.Listener listener) {
        return new IterativeRem(options).withHessianPrior(hessianPrior).run(targetMean, targetVar, start.theta(), start.tie(), start.offset(), groups(start), reg, sampler,
                resume, listener);
    }

    /** The term index of every parameter. */
    public static int[] groups(Start start) {
        return start.layout().groups();
    }

    /** Ridge and roughness penalties, roughness on second differences within each term's block. */
    public static Regularizer regularizer(List<FitTerm> terms, double ridge, double roughness) {
        if (ridge == 0 && roughness == 0) {
            return Regularizer.none();
        }
        return new Regularizer(ridge, roughness, FitTerm.roughness(terms));
    }
}

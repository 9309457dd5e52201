package org.remcg.fit.problem;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.remcg.fit.BoltzmannInversion;
import org.remcg.fit.FitTerm;
import org.remcg.fit.RemFit;
import org.remcg.model.CubicBSpline;
import org.remcg.model.ParameterLayout;
import org.remcg.optimize.ConvergenceCriterion;
import org.remcg.optimize.IterativeRem;
import org.remcg.system.InteractionKind;

/** The statement of a fit that ran out of budget names every criterion that still fails, the coefficient criterion too. */
class FitResultTest {

    static FitResult budgetSpent(double noise, double[] termNoise, int[] worst, double[] worstZ) {
        List<FitTerm> terms = List.of(
                new FitTerm(InteractionKind.PAIR, List.of("A", "A"), 1.0, new CubicBSpline(30, 0, 1.0), null),
                new FitTerm(InteractionKind.PAIR, List.of("A", "B"), 1.0, new CubicBSpline(30, 0, 1.0), null));
        ParameterLayout layout = FitTerm.layout(terms);
        BoltzmannInversion.Start per = new BoltzmannInversion.Start(new double[30], new int[30], new double[30], 25, 5, 29);
        RemFit.Start start = new RemFit.Start(new double[60], new int[60], new double[60], 50, List.of(per, per), layout);
        IterativeRem.Step step = new IterativeRem.Step(11, 2000, 1, noise, termNoise, -0.03, 0.01, 1, IterativeRem.Verdict.NOISE, 250, 1, -0.02,
                0.9, "", 1, 22_000, worst, worstZ);
        IterativeRem.State state = new IterativeRem.State(new double[60], null, null, null, null, 0, 250, 12, 0, List.of(step),
                IterativeRem.Stop.MAX_SIMULATIONS, 1, 0, false);
        return FitResult.rem(terms, state, List.of(new double[60]), start);
    }

    @Test
    void aSingleCoefficientBeyondItsBoundIsNamedWithItsRange() {
        double zmax = ConvergenceCriterion.Coefficient.maxZ(50);
        // both means below their bounds, one coefficient of the second interaction beyond its bound: only the coefficient criterion fails
        String s = budgetSpent(0.66, new double[] {0.5, 1.07}, new int[] {3, 30 + 7}, new double[] {1.5, zmax + 0.5}).notConverged();
        System.out.println(s);
        assertTrue(s.contains("NOT CONVERGED") && s.contains("noise ratio 0.660 (needs < ") && s.contains(") ok;"), s);
        assertTrue(s.contains("pair A-B 1.07 (needs < ") && s.contains("but its coefficient at ") && s.contains("nm z "), s);
        int onAA = s.indexOf("pair A-A");
        assertFalse(s.substring(onAA, s.indexOf("pair A-B")).contains("but its coefficient"), "pair A-A's worst coefficient is within its bound: " + s);
        // support of B-spline 7 of 30 on [0, 1]: knots 1/27 apart, the support 4 intervals from (7 - 3) / 27
        assertTrue(s.contains(String.format(java.util.Locale.ROOT, "%.4g-%.4g nm", 4 / 27.0, 8 / 27.0)), s);
    }
}

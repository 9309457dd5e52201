package org.remcg.fit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.remcg.model.CubicBSpline;
import org.remcg.units.Units;
import org.remcg.simulate.Engine;
import org.remcg.system.InteractionKind;

/** Targets the model cannot reach are named, with their interaction and range, before any simulation. */
class TargetDiagnosticsTest {
    static final double KT = Units.KB * 300;

    static TargetDistribution g(double[] values) {
        double[] e = new double[values.length + 1];
        for (int i = 0; i < e.length; i++) {
            e[i] = 0.01 * i;
        }
        return TargetDistribution.histogram(e, values, TargetDistribution.Weight.SHELL);
    }

    /** The notes on target t of a W-W pair on 60 B-splines to 0.9 nm, started by Boltzmann inversion (printed too). */
    static List<String> notes(TargetDistribution t) {
        CubicBSpline basis = new CubicBSpline(60, 0, 0.9);
        FitTerm term = new FitTerm(InteractionKind.PAIR, List.of("W", "W"), 0.9, basis, t);
        BoltzmannInversion.Start s = BoltzmannInversion.invert(basis, t, KT, BoltzmannInversion.Jacobian.NONE, true, 1e-3, 3 * KT);
        List<String> notes = TargetDiagnostics.check(term, t, s, KT);
        notes.forEach(System.out::println);
        return notes;
    }

    @Test
    void emptyBinsInsideTheSupportAndUnfittedKnotsAreNamed() {
        double[] v = new double[90];
        for (int i = 25; i < 90; i++) {
            v[i] = 1 + 0.5 * Math.exp(-Math.pow((i - 28) / 2.0, 2));
        }
        v[40] = 0;   // a hole at 0.40-0.41 nm
        v[41] = 0;
        List<String> notes = notes(g(v));
        assertTrue(notes.stream().anyMatch(n -> n.startsWith("pair W-W: the target is zero in 0.4-0.42 nm") && n.contains("2 empty bins")), notes.toString());
        assertTrue(notes.stream().anyMatch(n -> n.contains("no target data for the B-splines below")), notes.toString());
        // a clean target gives no empty-bin note
        v[40] = 1;
        v[41] = 1;
        List<String> none = notes(g(v));
        assertEquals(0, none.stream().filter(n -> n.contains("is zero in")).count(), none.toString());
    }

    @Test
    void weightWhereTheStartPotentialIsAWallIsNamed() {
        // a faint shoulder at 0.15-0.17 nm (1e-4 of the peak: below the inversion's 1e-3 threshold, so a tied wall there)
        double[] v = new double[90];
        v[15] = 2e-4;
        v[16] = 2e-4;
        for (int i = 26; i < 90; i++) {
            v[i] = 1 + Math.exp(-Math.pow((i - 28) / 2.0, 2));
        }
        List<String> notes = notes(g(v));
        assertTrue(notes.stream().anyMatch(n -> n.contains("0.15-0.17 nm") && n.contains("start potential is a wall")), notes.toString());
    }
}

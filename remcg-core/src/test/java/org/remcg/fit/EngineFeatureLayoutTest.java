package org.remcg.fit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.remcg.io.Frame;
import org.remcg.model.CubicBSpline;
import org.remcg.model.ForceField;
import org.remcg.observe.FeatureTerm;
import org.remcg.observe.FrameFeatures;
import org.remcg.optimize.IterativeRem;
import org.remcg.optimize.Samples;
import org.remcg.simulate.Engine;
import org.remcg.system.Box;
import org.remcg.system.CgTopology;
import org.remcg.system.InteractionKind;

/**
 * The engine's per-frame feature vectors (what the REM loop sees of the model) must equal the
 * reference accumulator's ({@link FrameFeatures}, what it sees of the target) on the same
 * configurations, for two bead types, pairs, bonds and angles given in an order different from
 * the topology's, and for every exclusion depth: otherwise the fit compares different things.
 */
class EngineFeatureLayoutTest {
    static final double T = 300;

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3})
    void engineFeaturesEqualReferenceFeatures(int hops) throws IterativeRem.SamplingException {
        CgTopology top = BondedSelfConsistencyTest.trimers(100);
        List<FitTerm> terms = new ArrayList<>();
        // bonded first, pairs in an order that is not the type order
        terms.add(new FitTerm(InteractionKind.ANGLE, List.of("A", "B", "A"), Double.NaN, new CubicBSpline(12, 0, Math.PI), null));
        terms.add(new FitTerm(InteractionKind.PAIR, List.of("B", "A"), 0.8, new CubicBSpline(10, 0, 0.8), null));
        terms.add(new FitTerm(InteractionKind.BOND, List.of("B", "A"), Double.NaN, new CubicBSpline(9, 0.2, 0.4), null));
        terms.add(new FitTerm(InteractionKind.PAIR, List.of("B", "B"), 0.8, new CubicBSpline(11, 0, 0.8), null));
        terms.add(new FitTerm(InteractionKind.PAIR, List.of("A", "A"), 0.8, new CubicBSpline(10, 0, 0.8), null));
        int m = 0;
        for (FitTerm t : terms) {
            m += t.basis().size();
        }
        // a smooth, mildly repulsive model: pairs 1 - r/rc, bond and angle harmonic-like around the start geometry
        double[] theta = new double[m];
        int at = 0;
        for (FitTerm t : terms) {
            int k = t.basis().size();
            for (int j = 0; j < k; j++) {
                double x = t.basis().lower() + (t.basis().upper() - t.basis().lower()) * (j - 1) / (k - 3);
                theta[at + j] = switch (t.kind()) {
                    case PAIR -> j >= k - 3 ? 0 : 2.0 * (1 - x / 0.8);
                    case BOND -> 0.5 * 5000 * (x - 0.3) * (x - 0.3);
                    case ANGLE -> 0.5 * 30 * (x - 2.0) * (x - 2.0);
                    case DIHEDRAL -> 0;
                };
            }
            at += k;
        }
        ForceField ff = RemFit.forceField(terms, T, hops, theta);
        Engine engine = new Engine(ff, top, Box.orthorhombic(3.5, 3.5, 3.5), BondedSelfConsistencyTest.grid(5, 5, 4, 3.5),
                Engine.Options.defaults().withThreads(2));
        EngineSampler sampler = new EngineSampler(engine, new EngineSampler.Settings(0.005, 5.0, 400, 200, 20, 3));
        List<FeatureTerm> ft = new ArrayList<>();
        for (FitTerm t : terms) {
            ft.add(t.featureTerm());
        }
        FrameFeatures ref = new FrameFeatures(top, hops, ft, false);
        List<double[]> rows = new ArrayList<>();
        double[] phi = new double[m];
        sampler.setSink(f -> {
            ref.compute(f, phi);
            rows.add(phi.clone());
        });
        Samples s = sampler.sample(theta, 0);
        assertEquals(20, s.frames());
        assertEquals(s.frames(), rows.size());
        for (int q = 0; q < terms.size(); q++) {
            assertEquals(ff.parameterOffset(q), ref.offset(q), "offset of " + terms.get(q).name());
        }
        double pairSum = 0;
        for (int t = 0; t < s.frames(); t++) {
            for (int k = 0; k < m; k++) {
                double a = s.phi(t, k);
                double b = rows.get(t)[k];
                // sums of up to a few hundred terms of size <= 1 in double precision
                assertEquals(b, a, 1e-9 * Math.max(1, Math.abs(b)), "frame " + t + " feature " + ff.parameterName(k));
            }
            for (int k = 12; k < 22; k++) {
                pairSum += s.phi(t, k);
            }
        }
        assertTrue(pairSum > 0, "the A-B pair features must see pairs");
    }
}

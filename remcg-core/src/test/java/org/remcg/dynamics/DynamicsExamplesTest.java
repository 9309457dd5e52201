package org.remcg.dynamics;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Short versions of the three examples of docs/DYNAMICS.md; the long runs are in the doc tables. */
class DynamicsExamplesTest {

    /**
     * (a) The CG model with b* = -F' describes the fine dynamics better as x2 gets faster: the relative
     * MFPT error at D2/D1 = 16 is smaller than at D2/D1 = 1 by more than 4 combined standard errors,
     * and at 16 it is within 15 % (a residual of finite separation and of passage detection on frames
     * 0.01 apart, 8 % in the long run of the docs).
     */
    @Test
    void doubleWellImprovesWithSeparation() {
        Diffusion1D cg = DynamicsExamples.doubleWellCg();
        DynamicsExamples.DoubleWellRow slow = DynamicsExamples.doubleWell(1, 500, 4, 1, 2, cg);
        DynamicsExamples.DoubleWellRow fast = DynamicsExamples.doubleWell(16, 500, 4, 2, 2, cg);
        double se = Math.hypot(slow.mfptFine().standardError(), fast.mfptFine().standardError()) / cg.mfpt(-1, 1);
        assertTrue(Math.abs(slow.mfptError()) - Math.abs(fast.mfptError()) > 4 * se,
                slow.format() + "\n" + fast.format());
        assertTrue(Math.abs(fast.mfptError()) < 0.15, fast.format());
        assertTrue(fast.fitRms() < 3 * fast.fitErr(), fast.format());
        // symmetric double well: the two directions were pooled; CG MFPT from quadrature
        assertEquals(cg.mfpt(-1, 1), cg.mfpt(1, -1), 1e-6 * cg.mfpt(-1, 1));
    }

    /**
     * (b) References: b* from quadrature obeys b* = -D F' + D' (the CG model with b* and Sigma(theta) is
     * reversible with the PMF density). Simulation: the fine MFPT agrees with the b* model within 4
     * standard errors and is more than 4 away from the PMF model with constant D; the density of the
     * naive model (b* with constant D) differs from the PMF.
     */
    @Test
    void ringOptimalDriftIsNotThePmfGradient() {
        for (double th = -1.5; th <= 1.5; th += 0.25) {
            double h = 1e-4;
            double[] q = ModelSystems.ringReference(th);
            double[] qp = ModelSystems.ringReference(th + h);
            double[] qm = ModelSystems.ringReference(th - h);
            double fp = (qp[0] - qm[0]) / (2 * h);
            double dp = (qp[1] - qm[1]) / (2 * h);
            assertEquals(q[2], -q[1] * fp + dp, 1e-6 * (1 + Math.abs(q[2])), "theta = " + th);
        }
        DynamicsExamples.RingResult r = DynamicsExamples.ring(1000, 4, 2, 2);
        List<DynamicsExamples.RingRow> rows = r.rows();
        DynamicsExamples.RingRow fine = rows.get(0);
        double fineMfpt = 0.5 * (fine.mfptIn() + fine.mfptOut());
        double se = 0.5 * Math.hypot(fine.mfptInErr(), fine.mfptOutErr());
        double bStar = rows.get(1).mfptIn();
        double pmf = rows.get(2).mfptIn();
        assertEquals(bStar, fineMfpt, 4 * se, "fine vs b* model");
        assertTrue(Math.abs(fineMfpt - pmf) > 4 * se, "fine " + fineMfpt + " vs PMF model " + pmf + " +- " + se);
        assertTrue(rows.get(3).kl() > 0.005, "naive model density");
        assertTrue(r.maxPotentialGap() > 0.1);
        assertTrue(fine.kl() < 0.005, "fine histogram vs PMF density: " + fine.kl());
        assertTrue(r.fitRms() < 3 * r.fitErr(), r.fitRms() + " vs " + r.fitErr());
        assertTrue(r.sigmaRms() < 0.02, "Sigma fit " + r.sigmaRms());
    }

    /** (c) The rotational part of b* is detected (|z| &gt; 4) with the exact mean curl, and not for gamma = 0. */
    @Test
    void rotationIsDetected() {
        DynamicsExamples.RotationResult rot = DynamicsExamples.rotating(0.5, 500, 2, 3, 2);
        assertTrue(rot.z() > 4, rot.format());
        assertEquals(rot.exactMeanCurl(), rot.meanCurl(), 4 * rot.meanCurlErr(), rot.format());
        DynamicsExamples.RotationResult none = DynamicsExamples.rotating(0, 500, 2, 4, 2);
        assertTrue(Math.abs(none.z()) < 4, none.format());
    }
}

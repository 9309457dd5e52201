package org.remcg.fit.problem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.remcg.fit.FitTerm;
import org.remcg.io.Table;
import org.remcg.model.CubicBSpline;
import org.remcg.model.SplinePotential;
import org.remcg.system.CgTopology;
import org.remcg.system.InteractionKind;

/**
 * Exported tables of fitted bonded terms whose basis covers only part of the angle range: the
 * table must span [0, pi] (the GROMACS and LAMMPS formats require it), equal the spline inside
 * the basis range and continue it by the engine's wall outside.
 */
class FitExportTest {

    @Test
    void angleTableOfANarrowBasisSpansZeroToPi(@TempDir Path dir) throws Exception {
        CubicBSpline basis = new CubicBSpline(12, 1.4, Math.PI);
        double[] theta = new double[12];
        for (int k = 0; k < 12; k++) {
            double x = 1.4 + (k - 1) * basis.knotSpacing();
            theta[k] = 0.5 * 30 * (x - 2.2) * (x - 2.2);   // a harmonic plus a constant (cubic B-splines hold quadratics)
        }
        FitTerm t = new FitTerm(InteractionKind.ANGLE, List.of("A", "B", "A"), Double.NaN, basis, null);
        Table tab = FitExport.table(t, theta, "ANGLE_A_B_A");
        assertEquals(0.0, tab.lo(), 1e-12);
        assertEquals(Math.PI, tab.hi(), 1e-12);
        SplinePotential p = new SplinePotential(basis, theta);
        double u0 = p.energy(2.2);
        for (int i = 0; i < tab.size(); i++) {
            double x = tab.x()[i];
            assertEquals(p.energy(x), tab.u()[i], 1e-9 * Math.max(1, Math.abs(tab.u()[i])), "U at " + x);
            assertEquals(-p.derivative(x), tab.f()[i], 1e-9 * Math.max(1, Math.abs(tab.f()[i])), "F at " + x);
            if (x >= 1.4 && x <= Math.PI) {
                assertEquals(0.5 * 30 * (x - 2.2) * (x - 2.2), tab.u()[i] - u0, 1e-9, "harmonic at " + x);
            }
        }
        // below the basis the wall keeps rising towards 0
        double prev = Double.NEGATIVE_INFINITY;
        for (int i = tab.size() - 1; i >= 0; i--) {
            if (tab.x()[i] < 2.2) {
                assertTrue(tab.u()[i] > prev, "wall must rise below the minimum at " + tab.x()[i]);
                prev = tab.u()[i];
            }
        }
        // and the whole export (GROMACS and LAMMPS) accepts it
        CgTopology.Builder b = new CgTopology.Builder();
        int a1 = b.particle("A1", "A", 30);
        int c = b.particle("B", "B", 28);
        int a2 = b.particle("A2", "A", 30);
        b.bond(a1, c, "A-B").bond(c, a2, "A-B").angle(a1, c, a2, "A-B-A");
        FitExport.writeTables(dir, List.of(t), b.build(), 3, theta);
        assertTrue(java.nio.file.Files.size(dir.resolve("gromacs").resolve("table_a0.xvg")) > 0);
        assertTrue(java.nio.file.Files.size(dir.resolve("lammps").resolve("angle.table")) > 0);
    }
}

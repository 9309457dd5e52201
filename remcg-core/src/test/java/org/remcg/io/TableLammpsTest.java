package org.remcg.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.DoubleUnaryOperator;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.remcg.system.InteractionKind;
import org.remcg.testing.Peers;
import org.remcg.units.Units;

/**
 * LAMMPS (units real) runs our tables: configurations are re-evaluated with {@code rerun} and the potential
 * energy (sum of {@code pe/atom}) and per-atom forces are compared with the analytic potential converted to
 * kcal/mol and Angstrom. Tolerances are the interpolation error bounds of the style our snippet selects
 * (computed from the analytic function on the bin around each point), doubled, plus 1e-8 for the printed digits.
 */
class TableLammpsTest {

    @TempDir
    Path dir;

    private static final double KCAL = Units.KCAL;

    @BeforeEach
    void needLammps() {
        Peers.lammps();
    }

    /** Energies (kcal/mol) and forces (kcal/mol/Angstrom) per frame. */
    private record Run(double[] energy, double[][] force) {
    }

    private Run run(int atoms, String topologySection, String styles, List<double[]> frames) throws Exception {
        StringBuilder data = new StringBuilder("remcg table test\n\n").append(atoms).append(" atoms\n1 atom types\n");
        String[] parts = topologySection.split("\n\n", 2);
        data.append(topologySection.isEmpty() ? "" : parts[0] + "\n");
        data.append("\n-60 60 xlo xhi\n-60 60 ylo yhi\n-60 60 zlo zhi\n\nMasses\n\n1 50.0\n\nAtoms # molecular\n\n");
        for (int i = 0; i < atoms; i++) {
            data.append(i + 1).append(" 1 1 ").append(5 * i).append(" 0 0\n");
        }
        if (!topologySection.isEmpty()) {
            data.append('\n').append(parts[1]);
        }
        Files.writeString(dir.resolve("sys.data"), data.toString());
        StringBuilder dump = new StringBuilder();
        for (int t = 0; t < frames.size(); t++) {
            dump.append("ITEM: TIMESTEP\n").append(t).append("\nITEM: NUMBER OF ATOMS\n").append(atoms)
                    .append("\nITEM: BOX BOUNDS ff ff ff\n-60 60\n-60 60\n-60 60\nITEM: ATOMS id x y z\n");
            double[] p = frames.get(t);
            for (int i = 0; i < atoms; i++) {
                dump.append(i + 1).append(' ').append(p[3 * i]).append(' ').append(p[3 * i + 1]).append(' ').append(p[3 * i + 2]).append('\n');
            }
        }
        Files.writeString(dir.resolve("frames.dump"), dump.toString());
        String in = """
                units real
                atom_style molecular
                boundary f f f
                read_data sys.data
                %s
                compute pa all pe/atom
                dump d all custom 1 out.dump id c_pa fx fy fz
                dump_modify d format float %%.17g sort id
                rerun frames.dump dump x y z box no
                """.formatted(styles);
        Files.writeString(dir.resolve("in.test"), in);
        String out = IoTesting.run(dir, "lmp", "-in", "in.test", "-log", "none");
        // LAMMPS' pair-table consistency check flags a few points near inflections of E (its own note says so),
        // so warnings are not failures; the numbers below are the test.
        List<String> lines = Files.readAllLines(dir.resolve("out.dump"));
        double[] e = new double[frames.size()];
        double[][] f = new double[frames.size()][3 * atoms];
        int frame = -1;
        for (int k = 0; k < lines.size(); k++) {
            if (lines.get(k).startsWith("ITEM: TIMESTEP")) {
                frame = Integer.parseInt(lines.get(k + 1).trim());
            } else if (lines.get(k).startsWith("ITEM: ATOMS")) {
                for (int i = 0; i < atoms; i++) {
                    String[] w = lines.get(k + 1 + i).trim().split("\\s+");
                    int id = Integer.parseInt(w[0]) - 1;
                    e[frame] += Double.parseDouble(w[1]);
                    for (int c = 0; c < 3; c++) {
                        f[frame][3 * id + c] = Double.parseDouble(w[2 + c]);
                    }
                }
            }
        }
        assertEquals(frames.size() - 1, frame, "LAMMPS evaluated every frame");
        return new Run(e, f);
    }

    private static double[] randomUnit(SplittableRandom rng) {
        double[] v = {rng.nextGaussian(), rng.nextGaussian(), rng.nextGaussian()};
        double n = TablePotentials.norm(v);
        return new double[] {v[0] / n, v[1] / n, v[2] / n};
    }

    /** h^2/8 max|g''| on [x - h, x + h] clipped to [a, b]: the linear interpolation error bound of the bin holding x. */
    private static double linearBound(DoubleUnaryOperator g, double x, double h, double a, double b) {
        return h * h / 8 * TablePotentials.maxSecond(g, Math.max(a, x - h), Math.min(b, x + h));
    }

    private static void check(String what, double expected, double actual, double tol) {
        assertEquals(expected, actual, tol, what);
    }

    @Test
    void pairTable() throws Exception {
        Table t = TablePotentials.pairTable();
        TableExport.lammpsPair(dir.resolve("pair.table"), List.of(t));
        String snippet = TableExport.lammpsSnippet(InteractionKind.PAIR, "pair.table", List.of("1 1"), List.of(t));
        int m = 4 * (t.size() - 1) + 1;
        assertEquals("pair_style table linear " + m + "\npair_coeff 1 1 pair.table CG_AA 12\n", snippet);
        double[] rs = {0.361, 0.37, 0.4, 0.45, 0.505, 0.62, 0.85, 1.0, 1.19, 1.199, 1.25, 1.5};
        SplittableRandom rng = new SplittableRandom(5);
        List<double[]> frames = new ArrayList<>();
        for (double r : rs) {
            double[] d = randomUnit(rng);
            double[] c = {rng.nextDouble(-3, 3), rng.nextDouble(-3, 3), rng.nextDouble(-3, 3)};
            frames.add(new double[] {c[0], c[1], c[2], c[0] + 10 * r * d[0], c[1] + 10 * r * d[1], c[2] + 10 * r * d[2]});
        }
        Run run = run(2, "", "neighbor 2.0 bin\n" + snippet, frames);
        // LAMMPS 'linear' pair tables are uniform in s = r^2 (Angstrom^2) from the first point to the cut-off; it
        // interpolates E(s) and F(s)/r.
        double lo = t.lo() * 10, rc = t.hi() * 10;
        double ds = (rc * rc - lo * lo) / (m - 1);
        DoubleUnaryOperator es = s -> TablePotentials.PAIR.u(Math.sqrt(s) / 10) / KCAL;
        DoubleUnaryOperator fOverR = s -> -TablePotentials.PAIR.du(Math.sqrt(s) / 10) / (10 * KCAL) / Math.sqrt(s);
        double worstE = 0, worstF = 0;
        for (int k = 0; k < frames.size(); k++) {
            double[] p = frames.get(k);
            double r = TablePotentials.dist(p, 0, 1);
            boolean inside = r < rc;
            double e = inside ? TablePotentials.PAIR.u(r / 10) / KCAL : 0;
            double fr = inside ? -TablePotentials.PAIR.du(r / 10) / (10 * KCAL) : 0;
            double s = r * r;
            double tolE = inside ? 2 * linearBound(es, s, ds, lo * lo, rc * rc) + 1e-8 : 1e-12;
            double tolF = inside ? 2 * r * linearBound(fOverR, s, ds, lo * lo, rc * rc) + 1e-8 : 1e-12;
            check("pair energy at r = " + r + " A", e, run.energy[k], tolE);
            for (int c = 0; c < 3; c++) {
                double u = (p[3 + c] - p[c]) / r;
                check("force on atom 2 at r = " + r, fr * u, run.force[k][3 + c], tolF);
                check("force on atom 1 at r = " + r, -fr * u, run.force[k][c], tolF);
            }
            worstE = Math.max(worstE, Math.abs(e - run.energy[k]));
            worstF = Math.max(worstF, Math.abs(fr - TablePotentials.dot(new double[] {run.force[k][3], run.force[k][4], run.force[k][5]},
                    TablePotentials.sub(p, 1, 0)) / r));
        }
        System.out.printf(Locale.ROOT, "LAMMPS pair table: max |dE| = %.3g kcal/mol, max |dF| = %.3g kcal/mol/A%n", worstE, worstF);
    }

    @Test
    void bondTable() throws Exception {
        Table t = TablePotentials.bondTable();
        TableExport.lammpsBond(dir.resolve("bond.table"), List.of(t));
        String snippet = TableExport.lammpsSnippet(InteractionKind.BOND, "bond.table", List.of("1"), List.of(t));
        double[] rs = {0.21, 0.3, 0.35, 0.38, 0.4, 0.455, 0.55, 0.69};
        SplittableRandom rng = new SplittableRandom(6);
        List<double[]> frames = new ArrayList<>();
        for (double r : rs) {
            double[] d = randomUnit(rng);
            frames.add(new double[] {1, -2, 0.5, 1 + 10 * r * d[0], -2 + 10 * r * d[1], 0.5 + 10 * r * d[2]});
        }
        Run run = run(2, "1 bonds\n1 bond types\n\nBonds\n\n1 1 1 2\n", "pair_style zero 2.0\npair_coeff * *\n" + snippet, frames);
        int m = 4 * (t.size() - 1) + 1;
        double lo = t.lo() * 10, hi = t.hi() * 10, h = (hi - lo) / (m - 1);
        DoubleUnaryOperator e = r -> TablePotentials.BOND.u(r / 10) / KCAL;
        DoubleUnaryOperator f = r -> -TablePotentials.BOND.du(r / 10) / (10 * KCAL);
        for (int k = 0; k < frames.size(); k++) {
            double[] p = frames.get(k);
            double r = TablePotentials.dist(p, 0, 1);
            check("bond energy at r = " + r, e.applyAsDouble(r), run.energy[k], 2 * linearBound(e, r, h, lo, hi) + 1e-8);
            double tolF = 2 * linearBound(f, r, h, lo, hi) + 1e-8;
            for (int c = 0; c < 3; c++) {
                double u = (p[3 + c] - p[c]) / r;
                check("bond force at r = " + r, f.applyAsDouble(r) * u, run.force[k][3 + c], tolF);
                check("bond force at r = " + r, -f.applyAsDouble(r) * u, run.force[k][c], tolF);
            }
        }
    }

    @Test
    void angleTable() throws Exception {
        Table t = TablePotentials.angleTable();
        TableExport.lammpsAngle(dir.resolve("angle.table"), List.of(t));
        String snippet = TableExport.lammpsSnippet(InteractionKind.ANGLE, "angle.table", List.of("1"), List.of(t));
        double[] thetas = {35, 60, 95, 110, 128.3, 150, 172};
        SplittableRandom rng = new SplittableRandom(7);
        List<double[]> frames = new ArrayList<>();
        for (double deg : thetas) {
            double th = Math.toRadians(deg);
            double a = 3.8 + rng.nextDouble(-0.3, 0.3), b = 4.1 + rng.nextDouble(-0.3, 0.3);
            frames.add(rotate(new double[] {a, 0, 0, 0, 0, 0, b * Math.cos(th), b * Math.sin(th), 0}, rng));
        }
        Run run = run(3, "1 angles\n1 angle types\n\nAngles\n\n1 1 1 2 3\n", "pair_style zero 2.0\npair_coeff * *\n" + snippet, frames);
        int m = 4 * (t.size() - 1) + 1;
        double h = Math.PI / (m - 1);
        DoubleUnaryOperator e = th -> TablePotentials.ANGLE.u(th) / KCAL;
        DoubleUnaryOperator de = th -> TablePotentials.ANGLE.du(th) / KCAL;
        ToDoubleFunction<double[]> energy = p -> e.applyAsDouble(TablePotentials.angle(p, 0, 1, 2));
        ToDoubleFunction<double[]> theta = p -> TablePotentials.angle(p, 0, 1, 2);
        compareBonded("angle", frames, run, energy, theta, th -> 2 * linearBound(e, th, h, 0, Math.PI) + 1e-8,
                th -> 2 * linearBound(de, th, h, 0, Math.PI));
    }

    @Test
    void dihedralTable() throws Exception {
        Table t = TablePotentials.dihedralTable();
        TableExport.lammpsDihedral(dir.resolve("dihedral.table"), List.of(t));
        String snippet = TableExport.lammpsSnippet(InteractionKind.DIHEDRAL, "dihedral.table", List.of("1"), List.of(t));
        assertTrue(snippet.startsWith("dihedral_style table spline "), snippet);
        double[] psis = {-170, -120, -64, -15, 0.5, 33, 90, 141, 178};
        SplittableRandom rng = new SplittableRandom(8);
        List<double[]> frames = new ArrayList<>();
        for (double deg : psis) {
            double ps = Math.toRadians(deg);
            frames.add(rotate(new double[] {-1.2, 3.5, 0.3, 0, 0, 0, 3.9, 0, 0, 5.0, 3.6 * Math.cos(ps), 3.6 * Math.sin(ps)}, rng));
        }
        Run run = run(4, "1 dihedrals\n1 dihedral types\n\nDihedrals\n\n1 1 1 2 3 4\n", "pair_style zero 2.0\npair_coeff * *\n" + snippet, frames);
        boolean negative = false;
        for (double[] p : frames) {
            negative |= TablePotentials.dihedral(p, 0, 1, 2, 3) < -0.5;
        }
        assertTrue(negative, "configurations include negative dihedrals");
        // spline style: a cubic spline through the file points (1 degree apart) is evaluated directly;
        // cubic spline error bounds (5/384) h^4 max|U''''| for U and (1/24) h^3 max|U''''| for U'.
        double h = t.step();
        double u4 = TablePotentials.maxFourth(TablePotentials.DIHEDRAL.duf(), -Math.PI, Math.PI) / KCAL;
        compareBonded("dihedral", frames, run, p -> TablePotentials.DIHEDRAL.u(TablePotentials.dihedral(p, 0, 1, 2, 3)) / KCAL,
                p -> TablePotentials.dihedral(p, 0, 1, 2, 3), x -> 2 * 5.0 / 384 * Math.pow(h, 4) * u4 + 1e-8,
                x -> 2 * Math.pow(h, 3) / 24 * u4);
    }

    /**
     * Energy and forces of a bonded term of internal coordinate q(p): the analytic energy E(q(p)) and
     * forces -dE/dp by central differences (1e-5 Angstrom: error below 1e-9); the force tolerance is
     * the bound on dE/dq times |dq/dp| of each atom, plus 1e-8.
     */
    private static void compareBonded(String what, List<double[]> frames, Run run, ToDoubleFunction<double[]> energy,
            ToDoubleFunction<double[]> q, DoubleUnaryOperator tolE, DoubleUnaryOperator tolDeDq) {
        double worstE = 0, worstF = 0;
        for (int k = 0; k < frames.size(); k++) {
            double[] p = frames.get(k);
            double qk = q.applyAsDouble(p);
            String at = what + " " + String.format(Locale.ROOT, "%.2f", Math.toDegrees(qk)) + " deg";
            double e = energy.applyAsDouble(p);
            check(at + ": energy", e, run.energy[k], tolE.applyAsDouble(qk));
            double[] f = TablePotentials.forces(energy, p, 1e-5);
            double[] grad = TablePotentials.forces(q, p, 1e-5);
            for (int i = 0; i < p.length; i++) {
                double tol = tolDeDq.applyAsDouble(qk) * Math.abs(grad[i]) + 1e-8;
                check(at + ": force component " + i, f[i], run.force[k][i], tol);
                worstF = Math.max(worstF, Math.abs(f[i] - run.force[k][i]));
            }
            worstE = Math.max(worstE, Math.abs(e - run.energy[k]));
        }
        System.out.printf(Locale.ROOT, "LAMMPS %s table: max |dE| = %.3g kcal/mol, max |dF| = %.3g kcal/mol/A%n", what, worstE, worstF);
    }

    /** A random rotation and shift of the configuration (fixed seed), so no geometry is special. */
    static double[] rotate(double[] p, SplittableRandom rng) {
        double[] a = randomUnit(rng);
        double[] tmp = randomUnit(rng);
        double[] b = TablePotentials.cross(a, tmp);
        double nb = TablePotentials.norm(b);
        b = new double[] {b[0] / nb, b[1] / nb, b[2] / nb};
        double[] c = TablePotentials.cross(a, b);
        double[] shift = {rng.nextDouble(-2, 2), rng.nextDouble(-2, 2), rng.nextDouble(-2, 2)};
        double[] q = new double[p.length];
        for (int i = 0; i < p.length / 3; i++) {
            for (int k = 0; k < 3; k++) {
                q[3 * i + k] = p[3 * i] * a[k] + p[3 * i + 1] * b[k] + p[3 * i + 2] * c[k] + shift[k];
            }
        }
        return q;
    }
}

package org.remcg.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.remcg.system.InteractionKind;
import org.remcg.testing.Peers;

/**
 * GROMACS 2022 runs our bonded tables: bond type 8, angle type 8 and dihedral type 8 in three molecules
 * without non-bonded interactions (zero charges and LJ), several configurations re-evaluated by
 * {@code mdrun -rerun}; energies from md.log, forces from the rerun TRR, compared with the analytic potentials
 * in kJ/mol. Also checks that GROMACS 2022 refuses user non-bonded tables.
 *
 * <p>Tolerances: the cubic Hermite interpolation GROMACS applies to the table (values and derivatives at the
 * nodes), |dU| <= h^4/384 max|U''''| and |dU'| <= sqrt(3)/216 h^3 max|U''''|, doubled; plus mixed precision:
 * 1e-5 of the magnitude (single precision arithmetic, about 6e-8 per operation, and the 6 significant digits
 * of md.log), and for forces the single-precision error of the internal coordinate q itself, 4 ulp
 * (FLOAT_Q = 2.4e-7 of its largest value), times the largest |U''|: near a minimum, where the force vanishes,
 * this is what remains.
 */
class TableGromacsTest {

    @TempDir
    Path dir;

    private static final String TOP = """
            [ defaults ]
            1 1 no 1.0 1.0
            [ atomtypes ]
            C  50.0  0.0  A  0.0  0.0
            [ moleculetype ]
            BND 3
            [ atoms ]
            1 C 1 BND B1 1 0.0
            2 C 1 BND B2 2 0.0
            [ bonds ]
            1 2 8 0 1.0
            [ moleculetype ]
            ANG 3
            [ atoms ]
            1 C 1 ANG A1 1 0.0
            2 C 1 ANG A2 2 0.0
            3 C 1 ANG A3 3 0.0
            [ angles ]
            1 2 3 8 0 1.0
            [ moleculetype ]
            DIH 3
            [ atoms ]
            1 C 1 DIH D1 1 0.0
            2 C 1 DIH D2 2 0.0
            3 C 1 DIH D3 3 0.0
            4 C 1 DIH D4 4 0.0
            [ dihedrals ]
            1 2 3 4 8 0 1.0
            [ system ]
            remcg table test
            [ molecules ]
            BND 1
            ANG 1
            DIH 1
            """;

    private static final String MDP = """
            integrator = md
            nsteps = 0
            continuation = yes
            cutoff-scheme = Verlet
            pbc = xyz
            coulombtype = cut-off
            rcoulomb = 1.0
            rvdw = 1.0
            nstcalcenergy = 1
            nstenergy = 1
            nstlog = 1
            nstxout = 1
            nstfout = 1
            """;

    /** Relative single-precision error allowed on an internal coordinate (4 ulp). */
    private static final double FLOAT_Q = 4 * Math.ulp(1.0f);

    /** Cubic box edge (nm). */
    private static final double BOX = 10;

    private static final String[] NAMES = {"B1", "B2", "A1", "A2", "A3", "D1", "D2", "D3", "D4"};
    private static final String[] RES = {"BND", "BND", "ANG", "ANG", "ANG", "DIH", "DIH", "DIH", "DIH"};

    @Test
    void bondedTablesRunInMdrun() throws Exception {
        Peers.mdrun();
        Table bond = TablePotentials.bondTable();
        Table angle = TablePotentials.angleTable();
        Table dih = TablePotentials.dihedralTable();
        TableExport.gromacsBond(dir.resolve("table_b0.xvg"), bond);
        TableExport.gromacsAngle(dir.resolve("table_a0.xvg"), angle);
        TableExport.gromacsDihedral(dir.resolve("table_d0.xvg"), dih);

        double[] rs = {0.21, 0.3, 0.35, 0.38, 0.41, 0.47, 0.55, 0.69};
        double[] thetas = {35, 60, 95, 110, 128.3, 150, 172, 80};
        double[] psis = {-170, -120, -64, -15, 0.5, 33, 90, 141};
        SplittableRandom rng = new SplittableRandom(21);
        StringBuilder gro = new StringBuilder();
        for (int k = 0; k < rs.length; k++) {
            double[] p = new double[27];
            double th = Math.toRadians(thetas[k]);
            double ps = Math.toRadians(psis[k]);
            place(p, 0, TableLammpsTest.rotate(new double[] {0, 0, 0, rs[k], 0, 0}, rng), 5.0);
            place(p, 2, TableLammpsTest.rotate(new double[] {0.38, 0, 0, 0, 0, 0, 0.41 * Math.cos(th), 0.41 * Math.sin(th), 0}, rng), 5.0);
            place(p, 5, TableLammpsTest.rotate(new double[] {-0.12, 0.35, 0.03, 0, 0, 0, 0.39, 0, 0, 0.5, 0.36 * Math.cos(ps),
                    0.36 * Math.sin(ps)}, rng), 5.0);
            gro.append("remcg table test t= ").append(k).append(".0\n9\n");
            for (int i = 0; i < 9; i++) {
                gro.append(String.format(Locale.ROOT, "%5d%-5s%5s%5d%10.5f%10.5f%10.5f%n", i < 2 ? 1 : i < 5 ? 2 : 3, RES[i], NAMES[i], i + 1,
                        p[3 * i], p[3 * i + 1], p[3 * i + 2]));
            }
            gro.append("  10.00000  10.00000  10.00000\n");
        }
        Files.writeString(dir.resolve("frames.gro"), gro.toString());
        Files.writeString(dir.resolve("topol.top"), TOP);
        Files.writeString(dir.resolve("run.mdp"), MDP);
        Path first = dir.resolve("conf.gro");
        Files.writeString(first, gro.substring(0, nthIndex(gro, "  10.00000  10.00000  10.00000\n", 1)));
        IoTesting.run(dir, "gmx", "-quiet", "grompp", "-f", "run.mdp", "-c", "conf.gro", "-p", "topol.top", "-o", "run.tpr");
        String out = IoTesting.run(dir, "gmx", "-quiet", "mdrun", "-s", "run.tpr", "-rerun", "frames.gro", "-tableb", "table_b0.xvg",
                "table_a0.xvg", "table_d0.xvg", "-nt", "1", "-g", "md.log", "-o", "rerun.trr", "-e", "ener.edr");
        // with a per-radian derivative column mdrun warns that the forces deviate from the potential's derivative
        assertFalse(out.contains("deviate"), out);

        List<double[]> energies = logEnergies(dir.resolve("md.log"), rs.length);
        double hA = angle.step(), hD = dih.step();
        double a4 = TablePotentials.maxFourth(TablePotentials.ANGLE.duf(), 0, Math.PI);
        double d4 = TablePotentials.maxFourth(TablePotentials.DIHEDRAL.duf(), -Math.PI, Math.PI);
        double[] worst = new double[6];
        boolean negative = false;
        try (TrrReader trr = TrrReader.open(dir.resolve("rerun.trr"))) {
            Frame f = new Frame();
            for (int k = 0; k < rs.length; k++) {
                assertTrue(trr.next(f), "frame " + k + " in the TRR");
                assertTrue(f.f != null, "forces in the TRR");
                double[] x = f.x.clone();
                double[] e = energies.get(k);
                // the bond potential is cubic: Hermite interpolation is exact, only precision remains
                worst[0] = Math.max(worst[0], compare("bond", x, 0, 2, f.f, e[0], p -> TablePotentials.BOND.u(TablePotentials.dist(p, 0, 1)),
                        p -> TablePotentials.dist(p, 0, 1), 0, FLOAT_Q * 0.7 * TablePotentials.maxSecond(TablePotentials.BOND.uf(), 0.2, 0.7)));
                double[] fa = compareTerm("angle", x, 2, 3, f.f, e[1], p -> TablePotentials.ANGLE.u(TablePotentials.angle(p, 0, 1, 2)),
                        p -> TablePotentials.angle(p, 0, 1, 2), 2 * Math.pow(hA, 4) / 384 * a4, 2 * Math.sqrt(3) / 216 * Math.pow(hA, 3) * a4
                                + FLOAT_Q * Math.PI * TablePotentials.maxSecond(TablePotentials.ANGLE.uf(), 0, Math.PI));
                double[] fd = compareTerm("dihedral", x, 5, 4, f.f, e[2],
                        p -> TablePotentials.DIHEDRAL.u(TablePotentials.dihedral(p, 0, 1, 2, 3)), p -> TablePotentials.dihedral(p, 0, 1, 2, 3),
                        2 * Math.pow(hD, 4) / 384 * d4, 2 * Math.sqrt(3) / 216 * Math.pow(hD, 3) * d4
                                + FLOAT_Q * Math.PI * TablePotentials.maxSecond(TablePotentials.DIHEDRAL.uf(), -Math.PI, Math.PI));
                worst[2] = Math.max(worst[2], fa[0]);
                worst[3] = Math.max(worst[3], fa[1]);
                worst[4] = Math.max(worst[4], fd[0]);
                worst[5] = Math.max(worst[5], fd[1]);
                negative |= TablePotentials.dihedral(slice(x, 5, 4), 0, 1, 2, 3) < -0.5;
            }
        }
        assertTrue(negative, "configurations include negative dihedrals");
        System.out.printf(Locale.ROOT, "GROMACS bond max |dE|+|dF| = %.3g; angle max |dE| = %.3g kJ/mol, |dF| = %.3g kJ/mol/nm; "
                + "dihedral max |dE| = %.3g, |dF| = %.3g%n", worst[0], worst[2], worst[3], worst[4], worst[5]);
    }

    private static int nthIndex(CharSequence s, String what, int n) {
        int at = -1;
        for (int i = 0; i < n; i++) {
            at = s.toString().indexOf(what, at + 1);
        }
        return at + what.length();
    }

    private static void place(double[] p, int atom, double[] q, double centre) {
        for (int i = 0; i < q.length; i++) {
            p[3 * atom + i] = Math.rint((q[i] + centre) * 1e5) / 1e5;
        }
    }

    /**
     * The atoms of one molecule, made whole: mdrun -rerun writes positions put into the box, so a molecule
     * crossing a face comes back broken (seen with a 6 nm box); each atom is moved to the image nearest the first.
     */
    private static double[] slice(double[] x, int atom, int atoms) {
        double[] p = new double[3 * atoms];
        System.arraycopy(x, 3 * atom, p, 0, p.length);
        for (int i = 3; i < p.length; i++) {
            p[i] -= BOX * Math.rint((p[i] - p[i % 3]) / BOX);
        }
        return p;
    }

    private static double compare(String what, double[] x, int atom, int atoms, double[] force, double energy, ToDoubleFunction<double[]> u,
            ToDoubleFunction<double[]> q, double tolE, double tolDu) {
        double[] r = compareTerm(what, x, atom, atoms, force, energy, u, q, tolE, tolDu);
        return r[0] + r[1];
    }

    /** Returns {max |dE|, max |dF|}. */
    private static double[] compareTerm(String what, double[] x, int atom, int atoms, double[] force, double energy,
            ToDoubleFunction<double[]> u, ToDoubleFunction<double[]> q, double tolE, double tolDu) {
        double[] p = slice(x, atom, atoms);
        double e = u.applyAsDouble(p);
        double[] fa = TablePotentials.forces(u, p, 1e-6);
        double[] grad = TablePotentials.forces(q, p, 1e-6);
        double scale = 0;
        for (double v : fa) {
            scale = Math.max(scale, Math.abs(v));
        }
        String at = what + " at " + String.format(Locale.ROOT, "%.4f", q.applyAsDouble(p));
        assertEquals(e, energy, tolE + 1e-5 * (Math.abs(e) + 1e-2), at + ": energy (kJ/mol)");
        double worstF = 0;
        for (int i = 0; i < p.length; i++) {
            assertEquals(fa[i], force[3 * atom + i], tolDu * Math.abs(grad[i]) + 1e-5 * (scale + 1), at + ": force component " + i);
            worstF = Math.max(worstF, Math.abs(fa[i] - force[3 * atom + i]));
        }
        return new double[] {Math.abs(e - energy), worstF};
    }

    /** Per frame {Tab. Bonds, Tab. Angles, Tab. Dih.} from the energy blocks of md.log (the first {@code frames} blocks). */
    private static List<double[]> logEnergies(Path log, int frames) throws IOException {
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        List<double[]> out = new ArrayList<>();
        for (int i = 0; i < lines.size() && out.size() < frames; i++) {
            if (!lines.get(i).trim().equals("Energies (kJ/mol)")) {
                continue;
            }
            double[] e = {Double.NaN, Double.NaN, Double.NaN};
            for (int j = i + 1; j + 1 < lines.size() && !lines.get(j).isBlank(); j += 2) {
                String names = lines.get(j);
                String values = lines.get(j + 1);
                for (int c = 0; c + 15 <= names.length(); c += 15) {
                    String name = names.substring(c, c + 15).trim();
                    double v = Double.parseDouble(values.substring(c, Math.min(values.length(), c + 15)).trim());
                    switch (name) {
                        case "Tab. Bonds" -> e[0] = v;
                        case "Tab. Angles" -> e[1] = v;
                        case "Tab. Dih." -> e[2] = v;
                        default -> {
                        }
                    }
                }
            }
            out.add(e);
        }
        assertEquals(frames, out.size(), "energy blocks in md.log");
        return out;
    }

    @Test
    void gromacs2022RefusesUserNonbondedTables() throws Exception {
        Peers.gmx();
        Files.writeString(dir.resolve("topol.top"), TOP.replace("BND 1\nANG 1\nDIH 1\n", "BND 1\n"));
        Files.writeString(dir.resolve("conf.gro"), "t\n2\n    1BND     B1    1   1.000   1.000   1.000\n    1BND     B2    2   1.000   1.000   1.350\n"
                + "  10.00000  10.00000  10.00000\n");
        Files.writeString(dir.resolve("group.mdp"), MDP.replace("cutoff-scheme = Verlet", "cutoff-scheme = group\nvdwtype = user"));
        Files.writeString(dir.resolve("user.mdp"), MDP + "vdwtype = user\n");
        String group = failing(dir, "gmx", "-quiet", "grompp", "-f", "group.mdp", "-c", "conf.gro", "-p", "topol.top", "-o", "g.tpr");
        assertTrue(group.contains("The group cutoff scheme has been removed since GROMACS 2020"), group);
        String user = failing(dir, "gmx", "-quiet", "grompp", "-f", "user.mdp", "-c", "conf.gro", "-p", "topol.top", "-o", "u.tpr");
        assertTrue(user.contains("With Verlet lists only cut-off and PME LJ interactions are supported"), user);
    }

    /** Runs a command that must fail; returns its output. */
    private static String failing(Path dir, String... command) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().put("GMX_MAXBACKUP", "-1");
        Process proc = pb.start();
        proc.getOutputStream().close();
        String out = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(proc.waitFor(120, TimeUnit.SECONDS));
        assertTrue(proc.exitValue() != 0, "expected failure: " + String.join(" ", command) + "\n" + out);
        return out;
    }

    @Test
    void nonbondedTableContent() throws Exception {
        Table t = TablePotentials.pairTable();
        Path p = dir.resolve("table_CG_CG.xvg");
        TableExport.gromacsNonbonded(p, t);
        Table back = TableExport.readXvg(p, InteractionKind.PAIR);
        double h = t.step();
        assertEquals(0.0, back.lo(), 0.0);
        assertEquals(t.hi() + 1.0, back.hi(), 1e-12);
        assertEquals(h, back.step(), 1e-12);
        double[] x = back.x(), u = back.u(), f = back.f();
        int first = (int) Math.round(t.lo() / h);
        assertEquals(t.lo(), x[first], 1e-12);
        for (int i = 0; i < x.length; i++) {
            if (x[i] > t.hi() + 1e-9) {
                assertEquals(0.0, u[i], 0.0, "zero past the cut-off");
                assertEquals(0.0, f[i], 0.0, "zero past the cut-off");
            } else if (i >= first) {
                assertEquals(TablePotentials.PAIR.u(x[i]), u[i], 1e-13 * (1 + Math.abs(u[i])), "sampled potential at " + x[i]);
                assertEquals(-TablePotentials.PAIR.du(x[i]), f[i], 1e-13 * (1 + Math.abs(f[i])), "sampled force at " + x[i]);
            } else {
                // the wall: force and energy keep rising towards r = 0 and join the table continuously
                assertTrue(f[i] > f[i + 1] && u[i] > u[i + 1], "wall rises at " + x[i]);
                assertEquals(u[i + 1] + 0.5 * (f[i] + f[i + 1]) * h, u[i], 1e-9 * u[i], "wall energy consistent with its force at " + x[i]);
            }
        }
        // every line has the 7 classic columns with f and g zero
        for (String line : Files.readAllLines(p)) {
            if (!line.startsWith("#")) {
                String[] w = line.trim().split("\\s+");
                assertEquals(7, w.length, line);
                assertEquals("0 0 0 0", String.join(" ", w[1], w[2], w[3], w[4]), line);
            }
        }
    }
}

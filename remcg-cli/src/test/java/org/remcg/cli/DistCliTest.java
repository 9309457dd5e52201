package org.remcg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.remcg.io.Frame;
import org.remcg.io.GroWriter;
import org.remcg.io.XtcWriter;
import org.remcg.system.Box;
import org.remcg.system.Topology;

/**
 * {@code remcg dist} on a synthetic trajectory whose bonded distributions are known exactly:
 * 4-bead molecules A-B-B-A, each bead the geometric centre of two atoms, built with prescribed
 * bond lengths, angles and dihedrals that sit at bin centres, then rotated and translated at
 * random and wrapped atom by atom into the box (so molecules are split across the boundary).
 * XTC rounding (0.0005 nm per coordinate) moves a length by at most 0.0009 nm and an angle or
 * dihedral by at most about 0.5 degree here, less than half a bin (0.005 nm, 1 degree), so the
 * histograms must equal the tallies of the prescribed values exactly.
 */
class DistCliTest {
    @TempDir
    Path dir;

    static final int MOLECULES = 50;
    static final int FRAMES = 40;
    static final double L = 4.0;
    static final String[] BEADS = {"A1", "B1", "B2", "A2"};

    Path gro;
    Path xtc;
    Path mapping;
    // tallies of the prescribed values: A-B bonds (0.2..0.6 nm, 40 bins), B-B bonds, A-B-B angles (90 bins), A-B-B-A dihedrals (180 bins)
    long[] ab = new long[40];
    long[] bb = new long[40];
    long[] abb = new long[90];
    long[] abba = new long[180];

    static double[] sub(double[] a, double[] b) {
        return new double[] {a[0] - b[0], a[1] - b[1], a[2] - b[2]};
    }

    static double[] cross(double[] a, double[] b) {
        return new double[] {a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]};
    }

    static double[] unit(double[] a) {
        double n = Math.sqrt(a[0] * a[0] + a[1] * a[1] + a[2] * a[2]);
        return new double[] {a[0] / n, a[1] / n, a[2] / n};
    }

    /** Point d with |c d| = len, angle b-c-d = theta and dihedral a-b-c-d = phi (IUPAC sign: positive clockwise seen from b to c). */
    static double[] place(double[] a, double[] b, double[] c, double len, double theta, double phi) {
        double[] bc = unit(sub(c, b));
        double[] n = unit(cross(sub(b, a), bc));
        double[] m = cross(n, bc);
        double x = -len * Math.cos(theta);
        double y = len * Math.sin(theta) * Math.cos(phi);
        double z = len * Math.sin(theta) * Math.sin(phi);
        return new double[] {c[0] + x * bc[0] + y * m[0] + z * n[0], c[1] + x * bc[1] + y * m[1] + z * n[1], c[2] + x * bc[2] + y * m[2] + z * n[2]};
    }

    @BeforeEach
    void trajectory() throws Exception {
        int atoms = 8 * MOLECULES;
        String[] names = new String[atoms];
        String[] res = new String[atoms];
        int[] num = new int[atoms];
        for (int i = 0; i < atoms; i++) {
            names[i] = BEADS[(i % 8) / 2] + (i % 2 == 0 ? "x" : "y");
            res[i] = "MOL";
            num[i] = i / 8 + 1;
        }
        Topology topo = new Topology(names, res, num, null);
        SplittableRandom rnd = new SplittableRandom(42);
        gro = dir.resolve("conf.gro");
        xtc = dir.resolve("traj.xtc");
        Box box = Box.orthorhombic(L, L, L);
        double deg = Math.PI / 180;
        int split = 0;
        try (XtcWriter w = new XtcWriter(xtc); GroWriter g = new GroWriter(gro, topo)) {
            for (int t = 0; t < FRAMES; t++) {
                Frame f = new Frame();
                f.resize(atoms, false, false);
                f.box = box;
                f.step = t;
                f.time = t;
                f.index = t;
                for (int mol = 0; mol < MOLECULES; mol++) {
                    int q = mol + MOLECULES * t;
                    double b1 = 0.305 + 0.01 * (q % 10);
                    double b2 = 0.455 + 0.01 * (q % 5);
                    double b3 = 0.305 + 0.01 * ((q + 3) % 10);
                    double t1 = (61 + 4 * (q % 15)) * deg;
                    double t2 = (81 + 4 * ((q + 7) % 15)) * deg;
                    double phi = (-179 + 2 * ((7 * q) % 180)) * deg;
                    ab[(int) Math.floor((b1 - 0.2) / 0.01)]++;
                    ab[(int) Math.floor((b3 - 0.2) / 0.01)]++;
                    bb[(int) Math.floor((b2 - 0.2) / 0.01)]++;
                    abb[(int) Math.floor(t1 / (2 * deg))]++;
                    abb[(int) Math.floor(t2 / (2 * deg))]++;
                    abba[(int) Math.floor((phi + Math.PI) / (2 * deg))]++;
                    double[] p0 = {0, 0, 0};
                    double[] p1 = {b1, 0, 0};
                    double[] p2 = {b1 - b2 * Math.cos(t1), b2 * Math.sin(t1), 0};
                    double[] p3 = place(p0, p1, p2, b3, t2, phi);
                    double[][] bead = {p0, p1, p2, p3};
                    // random rotation (random unit quaternion) and translation
                    double qa = rnd.nextGaussian(), qb = rnd.nextGaussian(), qc = rnd.nextGaussian(), qd = rnd.nextGaussian();
                    double qn = Math.sqrt(qa * qa + qb * qb + qc * qc + qd * qd);
                    qa /= qn;
                    qb /= qn;
                    qc /= qn;
                    qd /= qn;
                    double[][] rot = {
                        {1 - 2 * (qc * qc + qd * qd), 2 * (qb * qc - qa * qd), 2 * (qb * qd + qa * qc)},
                        {2 * (qb * qc + qa * qd), 1 - 2 * (qb * qb + qd * qd), 2 * (qc * qd - qa * qb)},
                        {2 * (qb * qd - qa * qc), 2 * (qc * qd + qa * qb), 1 - 2 * (qb * qb + qc * qc)}};
                    double[] shift = {rnd.nextDouble() * L, rnd.nextDouble() * L, rnd.nextDouble() * L};
                    for (int k = 0; k < 4; k++) {
                        double[] u = unit(new double[] {rnd.nextGaussian(), rnd.nextGaussian(), rnd.nextGaussian()});
                        for (int side = 0; side < 2; side++) {
                            int atom = 8 * mol + 2 * k + side;
                            for (int c = 0; c < 3; c++) {
                                double v = shift[c];
                                for (int e = 0; e < 3; e++) {
                                    v += rot[c][e] * bead[k][e];
                                }
                                v += (side == 0 ? 0.05 : -0.05) * u[c];
                                double wrapped = v - L * Math.floor(v / L);
                                if (wrapped != v && k > 0) {
                                    split++;
                                }
                                f.x[3 * atom + c] = wrapped;
                            }
                        }
                    }
                }
                w.write(f);
                if (t == 0) {
                    g.write(f);
                }
            }
        }
        assertTrue(split > 50, "molecules cross the boundary: " + split);
        mapping = dir.resolve("map.yaml");
        StringBuilder y = new StringBuilder("molecules:\n  MOL:\n    beads:\n");
        for (String b : BEADS) {
            y.append("      - {name: ").append(b).append(", type: ").append(b.charAt(0)).append(", atoms: [").append(b).append("x, ").append(b)
                    .append("y], weights: geometry}\n");
        }
        y.append("    bonds: [[A1, B1], [B1, B2], [B2, A2]]\n    angles: [[A1, B1, B2], [B1, B2, A2]]\n    dihedrals: [[A1, B1, B2, A2]]\n");
        Files.writeString(mapping, y.toString());
    }

    /** Rows of a CSV file below its header, as numbers. */
    static double[][] rows(Path csv, String header) throws Exception {
        List<String> lines = Files.readAllLines(csv);
        assertEquals(header, lines.get(0), csv.toString());
        double[][] out = new double[lines.size() - 1][];
        for (int i = 1; i < lines.size(); i++) {
            String[] p = lines.get(i).split(",");
            out[i - 1] = new double[p.length];
            for (int k = 0; k < p.length; k++) {
                out[i - 1][k] = Double.parseDouble(p[k]);
            }
        }
        return out;
    }

    static void assertDensity(double[][] rows, int column, long[] tally, double lo, double width, String what) {
        assertEquals(tally.length, rows.length, what + " bins");
        long total = 0;
        for (long c : tally) {
            total += c;
        }
        for (int k = 0; k < tally.length; k++) {
            assertEquals(lo + (k + 0.5) * width, rows[k][0], 1e-9, what + " centre " + k);
            // printed with 10 significant digits
            double want = tally[k] / (total * width);
            assertEquals(want, rows[k][column], 1e-9 * (1 + want), what + " bin " + k);
        }
    }

    @Test
    void distributionsEqualThePrescribedValues() throws Exception {
        Path out = dir.resolve("dist");
        CliRun r = CliRun.run("dist", "--top", gro.toString(), "--traj", xtc.toString(), "--mapping", mapping.toString(), "--bond-range",
                "0.2:0.6", "--bins", "40", "--angle-bins", "90", "--dihedral-bins", "180", "--threads", "2", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("dist: 40 frames, bonds (2 labels), angles (1 label), dihedrals (1 label)"), r.out());
        double deg = Math.PI / 180;
        double[][] bonds = rows(out.resolve("bonds.csv"), "x,A-B,B-B");
        assertDensity(bonds, 1, ab, 0.2, 0.01, "A-B");
        assertDensity(bonds, 2, bb, 0.2, 0.01, "B-B");
        assertDensity(rows(out.resolve("angles.csv"), "x,A-B-B"), 1, abb, 0, 2 * deg, "A-B-B");
        assertDensity(rows(out.resolve("dihedrals.csv"), "x,A-B-B-A"), 1, abba, -Math.PI, 2 * deg, "A-B-B-A");
        for (String png : new String[] {"bonds.png", "angles.png", "dihedrals.png"}) {
            assertTrue(Files.size(out.resolve(png)) > 1000, png);
        }
        // each file reads as a fit target as it is (header skipped, the first label's column), on the same bins
        org.remcg.fit.TargetDistribution bondTarget = org.remcg.fit.TargetDistribution.read(out.resolve("bonds.csv"));
        assertEquals(40, bondTarget.bins());
        assertEquals(0.2, bondTarget.lower(), 1e-9);
        assertEquals(0.6, bondTarget.upper(), 1e-9);
        for (int k = 0; k < 40; k++) {
            assertEquals(bonds[k][1], bondTarget.value()[k], 0.0, "A-B bin " + k);
        }
        org.remcg.fit.TargetDistribution angleTarget = org.remcg.fit.TargetDistribution.read(out.resolve("angles.csv"),
                org.remcg.fit.TargetDistribution.Bins.DEFAULT, org.remcg.fit.TargetDistribution.Weight.FLAT, 0, Math.PI);
        assertEquals(90, angleTarget.bins());
        assertEquals(Math.PI, angleTarget.upper(), 1e-9);
        // the known values are spread: A-B over 10 bins of 0.3-0.4 nm, the dihedral over all 180 bins
        assertEquals(10, java.util.Arrays.stream(ab).filter(c -> c > 0).count());
        assertEquals(180, java.util.Arrays.stream(abba).filter(c -> c > 0).count());

        // one thread gives the same files
        Path one = dir.resolve("one");
        r = CliRun.run("dist", "--top", gro.toString(), "--traj", xtc.toString(), "--mapping", mapping.toString(), "--bond-range", "0.2:0.6", "--bins",
                "40", "--angle-bins", "90", "--dihedral-bins", "180", "--threads", "1", "--out", one.toString(), "--quiet");
        assertEquals(0, r.code(), r.err());
        assertEquals("", r.out() + r.err());
        for (String csv : new String[] {"bonds.csv", "angles.csv", "dihedrals.csv"}) {
            assertEquals(Files.readString(out.resolve(csv)), Files.readString(one.resolve(csv)), csv);
        }
    }

    @Test
    void valuesOutsideTheBondRangeAreReportedAndErrorsAreNamed() throws Exception {
        Path out = dir.resolve("cut");
        CliRun r = CliRun.run("dist", "--top", gro.toString(), "--traj", xtc.toString(), "--mapping", mapping.toString(), "--bond-range",
                "0.2:0.47", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        // B-B lengths 0.455 .. 0.495 nm: 0.475, 0.485 and 0.495 (three fifths) lie beyond 0.47; no A-B length (0.305 .. 0.395) does
        assertTrue(r.err().contains("bonds B-B: 1200 of 2000 values (60.00 %) outside [0.2, 0.47]"), r.err());
        assertTrue(!r.err().contains("bonds A-B"), r.err());
        double[][] bonds = rows(out.resolve("bonds.csv"), "x,A-B,B-B");
        double sum = 0;
        for (double[] row : bonds) {
            sum += row[2] * (0.27 / 200);
        }
        assertEquals(1.0, sum, 1e-8, "the in-range part is normalized to 1");

        r = CliRun.run("dist", "--top", gro.toString(), "--traj", xtc.toString(), "--mapping", mapping.toString(), "--bond-range", "0.2:0.35", "--out",
                out.toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("bonds B-B: all 2000 values lie outside [0.2, 0.35]; widen --bond-range"), r.err());

        r = CliRun.run("dist", "--top", gro.toString(), "--traj", xtc.toString(), "--mapping", mapping.toString(), "--bond-range", "0.5:0.1", "--out",
                out.toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("--bond-range"), r.err());

        Path noBonds = dir.resolve("nobonds.yaml");
        Files.writeString(noBonds, "molecules:\n  MOL:\n    beads:\n      - {name: A1, atoms: [A1x, A1y], weights: geometry}\n");
        r = CliRun.run("dist", "--top", gro.toString(), "--traj", xtc.toString(), "--mapping", noBonds.toString(), "--out", out.toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("nobonds.yaml") && r.err().contains("no bonds, angles or dihedrals"), r.err());
    }
}

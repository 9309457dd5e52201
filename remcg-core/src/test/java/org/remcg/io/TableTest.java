package org.remcg.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.remcg.io.IoTesting.assertMessageContains;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.remcg.system.InteractionKind;

/** Table validation and sampling, the exact file layouts and unit conversions, and write/read round trips. */
class TableTest {

    @TempDir
    Path dir;

    @Test
    void validation() {
        double[] x = {0, 1, 2};
        assertThrows(IllegalArgumentException.class, () -> new Table("a", x, new double[2], new double[3]));
        assertThrows(IllegalArgumentException.class, () -> new Table("a", new double[] {1}, new double[1], new double[1]));
        assertThrows(IllegalArgumentException.class, () -> new Table("a", new double[] {0, 1, 2.5}, new double[3], new double[3]));
        assertThrows(IllegalArgumentException.class, () -> new Table("a", new double[] {2, 1, 0}, new double[3], new double[3]));
        assertThrows(IllegalArgumentException.class, () -> new Table("a", x, new double[] {0, Double.NaN, 0}, new double[3]));
        assertThrows(IllegalArgumentException.class, () -> new Table(" ", x, new double[3], new double[3]));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Table.sample("lj", r -> 1 / Math.pow(r, 12), r -> -12 / Math.pow(r, 13), 0, 1, 11));
        assertTrue(e.getMessage().contains("lj") && e.getMessage().contains("x = 0.0"), e.getMessage());
        double[] u = {1, 2, 3};
        Table t = new Table("a", x, u, new double[3]);
        u[0] = 99;
        assertEquals(1, t.u()[0], "the table copies its arrays");
        t.x()[0] = 5;
        assertEquals(0, t.x()[0], "accessors return copies");
    }

    @Test
    void sampling() {
        Table t = Table.sample("q", r -> r * r, r -> 2 * r, 0.5, 1.5, 11);
        assertEquals(11, t.size());
        assertEquals(0.1, t.step(), 1e-15);
        assertEquals(1.5, t.hi(), 0);
        assertEquals(1.1 * 1.1, t.u()[6], 1e-15);
        assertEquals(-2 * 1.1, t.f()[6], 1e-15);
        Table g = Table.sampleOnGrid("g", r -> r, r -> 1, 0.3333, 1.0, 0.1);
        assertEquals(0.4, g.lo(), 1e-15, "first multiple of the step inside the range");
        assertEquals(1.0, g.hi(), 1e-15);
        assertEquals(7, g.size());
    }

    @Test
    void extensionWallAndZero() {
        // u = 1/r^2 from 0.5: f = 2/r^3, curvature -df/dr = 6/r^4 estimated from the first two points
        Table t = Table.sampleOnGrid("w", r -> 1 / (r * r), r -> -2 / (r * r * r), 0.5, 1.0, 0.01);
        Table e = t.extended(0, 1.2);
        assertEquals(121, e.size());
        double[] x = e.x(), u = e.u(), f = e.f();
        double h = 0.01;
        double k = (t.f()[0] - t.f()[1]) / h;
        assertTrue(k > 0);
        for (int i = 0; i < 50; i++) {
            double d = 0.5 - x[i];
            assertEquals(4 + 16 * d + 0.5 * k * d * d, u[i], 1e-9, "wall energy at " + x[i]);
            assertEquals(16 + k * d, f[i], 1e-9, "wall force at " + x[i]);
        }
        assertEquals(4, u[50], 1e-12);
        for (int i = 101; i < 121; i++) {
            assertEquals(0, u[i], 0);
            assertEquals(0, f[i], 0);
        }
        assertThrows(IllegalArgumentException.class, () -> t.extended(0.005, 1.0), "0.005 is not a grid point");
        assertThrows(IllegalArgumentException.class, () -> t.extended(0.6, 1.0), "does not contain the table");
    }

    @Test
    void lammpsBondLayoutAndUnits() throws Exception {
        // 4.184 kJ/mol = 1 kcal/mol; 41.84 kJ/mol/nm = 1 kcal/mol/Angstrom; 0.1 nm = 1 Angstrom
        Table t = new Table("B", new double[] {0.1, 0.2, 0.3}, new double[] {8.368, 0, 4.184}, new double[] {41.84, 0, -83.68});
        Path p = dir.resolve("bond.table");
        TableExport.lammpsBond(p, List.of(t));
        String text = Files.readString(p);
        // end slopes dF/dr (kcal/mol/A^2): (-3*1 + 4*0 - (-2)) / 2 = -0.5 and (-3*(-2) + 4*0 - 1) / (-2) = -2.5
        assertEquals("""
                # remcg bond_style table, units real (Angstrom, kcal/mol)

                B
                N 3 FP -0.5 -2.5 EQ 2

                1 1 2 1
                2 2 0 0
                3 3 1 -2
                """, text);
        assertEquals("bond_style table linear 9\nbond_coeff 1 bond.table B\n",
                TableExport.lammpsSnippet(InteractionKind.BOND, "bond.table", List.of("1"), List.of(t)));
    }

    @Test
    void angularUnits() throws Exception {
        // u = 2 theta: f = -2 kJ/mol/rad = -2 pi/180 kJ/mol/degree
        Table a = Table.sample("A", th -> 2 * th, th -> 2, 0, Math.PI, 3);
        TableExport.lammpsAngle(dir.resolve("a.table"), List.of(a));
        List<String> lines = Files.readAllLines(dir.resolve("a.table"));
        String[] last = lines.get(lines.size() - 1).split(" ");
        assertEquals(180, Double.parseDouble(last[1]), 0);
        assertEquals(2 * Math.PI / 4.184, Double.parseDouble(last[2]), 1e-13);
        assertEquals(-2 * Math.PI / 180 / 4.184, Double.parseDouble(last[3]), 1e-16);
        TableExport.gromacsAngle(dir.resolve("table_a0.xvg"), a);
        List<String> xvg = Files.readAllLines(dir.resolve("table_a0.xvg"));
        assertEquals("90 " + TableExport.num(Math.PI) + " " + TableExport.num(-2 * Math.PI / 180), xvg.get(3));
    }

    @Test
    void roundTrips() throws Exception {
        Table pair = TablePotentials.pairTable();
        Table pair2 = Table.sampleOnGrid("CG_AB", r -> Math.exp(-r), r -> -Math.exp(-r), 0.2, 1.0, 0.01);
        Table bond = TablePotentials.bondTable();
        Table angle = TablePotentials.angleTable();
        Table dih = TablePotentials.dihedralTable();
        TableExport.lammpsPair(dir.resolve("pair.table"), List.of(pair, pair2));
        TableExport.lammpsBond(dir.resolve("bond.table"), List.of(bond));
        TableExport.lammpsAngle(dir.resolve("angle.table"), List.of(angle));
        TableExport.lammpsDihedral(dir.resolve("dih.table"), List.of(dih));
        same(pair, TableExport.readLammps(dir.resolve("pair.table"), InteractionKind.PAIR, "CG_AA"));
        same(pair2, TableExport.readLammps(dir.resolve("pair.table"), InteractionKind.PAIR, "CG_AB"));
        same(bond, TableExport.readLammps(dir.resolve("bond.table"), InteractionKind.BOND, "BOND_1"));
        same(angle, TableExport.readLammps(dir.resolve("angle.table"), InteractionKind.ANGLE, "ANGLE_1"));
        same(dih, TableExport.readLammps(dir.resolve("dih.table"), InteractionKind.DIHEDRAL, "DIH_1"));
        assertTrue(Files.readString(dir.resolve("dih.table")).contains("N 360 DEGREES"), "the +180 point is left out");

        TableExport.gromacsBond(dir.resolve("table_b0.xvg"), bond);
        TableExport.gromacsAngle(dir.resolve("table_a0.xvg"), angle);
        TableExport.gromacsDihedral(dir.resolve("table_d0.xvg"), dih);
        Table b = TableExport.readXvg(dir.resolve("table_b0.xvg"), InteractionKind.BOND);
        assertEquals(0, b.lo(), 0, "GROMACS bond tables start at 0");
        same(bond, slice(b, 200));
        same(angle, TableExport.readXvg(dir.resolve("table_a0.xvg"), InteractionKind.ANGLE));
        same(dih, TableExport.readXvg(dir.resolve("table_d0.xvg"), InteractionKind.DIHEDRAL));
    }

    private static Table slice(Table t, int from) {
        int n = t.size() - from;
        double[] x = new double[n], u = new double[n], f = new double[n];
        System.arraycopy(t.x(), from, x, 0, n);
        System.arraycopy(t.u(), from, u, 0, n);
        System.arraycopy(t.f(), from, f, 0, n);
        return new Table(t.name(), x, u, f);
    }

    /** Equal up to the 15 significant digits written and the unit conversions (a few ulp). */
    private static void same(Table a, Table b) {
        assertEquals(a.size(), b.size(), a.name());
        double[] ax = a.x(), bx = b.x(), au = a.u(), bu = b.u(), af = a.f(), bf = b.f();
        for (int i = 0; i < ax.length; i++) {
            assertEquals(ax[i], bx[i], 1e-13 * (1 + Math.abs(ax[i])), a.name() + " x[" + i + "]");
            assertEquals(au[i], bu[i], 1e-13 * (1 + Math.abs(au[i])), a.name() + " u[" + i + "]");
            assertEquals(af[i], bf[i], 1e-13 * (1 + Math.abs(af[i])), a.name() + " f[" + i + "]");
        }
    }

    @Test
    void rangeRules() {
        Table a = Table.sample("A", th -> th, th -> 1, 0.1, Math.PI, 10);
        assertThrows(IllegalArgumentException.class, () -> TableExport.lammpsAngle(dir.resolve("x"), List.of(a)));
        assertThrows(IllegalArgumentException.class, () -> TableExport.gromacsAngle(dir.resolve("x"), a));
        Table d = Table.sample("D", p -> p, p -> 1, -Math.PI, Math.PI, 10);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TableExport.lammpsDihedral(dir.resolve("x"), List.of(d)));
        assertMessageContains(e, "not periodic");
        Table p0 = Table.sample("P", r -> r, r -> 1, 0, 1, 11);
        assertThrows(IllegalArgumentException.class, () -> TableExport.lammpsPair(dir.resolve("x"), List.of(p0)));
        Table bad = p0.withName("two words");
        assertThrows(IllegalArgumentException.class, () -> TableExport.lammpsBond(dir.resolve("x"), List.of(bad)));
        Table p1 = Table.sample("P", r -> r, r -> 1, 0.1, 1, 10);
        assertThrows(IllegalArgumentException.class, () -> TableExport.lammpsPair(dir.resolve("x"), List.of(p1, p1)), "duplicate names");
        Table off = Table.sample("O", r -> r, r -> 1, 0.105, 1.005, 10);
        assertThrows(IllegalArgumentException.class, () -> TableExport.gromacsNonbonded(dir.resolve("x"), off), "0 is not on its grid");
        assertFalse(Files.exists(dir.resolve("x")));
    }

    @Test
    void badFilesNameFileAndLine() throws Exception {
        Path p = dir.resolve("t.table");
        Files.writeString(p, "# c\n\nK\nN 3\n\n1 1.0 2.0 3.0\n2 2.0 x 3.0\n3 3.0 2.0 3.0\n");
        DataFormatException e = assertThrows(DataFormatException.class, () -> TableExport.readLammps(p, InteractionKind.BOND, "K"));
        assertEquals(7, e.line());
        assertTrue(e.getMessage().startsWith(p + ":7: 'x'"), e.getMessage());
        e = assertThrows(DataFormatException.class, () -> TableExport.readLammps(p, InteractionKind.BOND, "OTHER"));
        assertMessageContains(e, "no section 'OTHER'");
        Files.writeString(p, "K\nN 3\n\n1 1.0 2.0 3.0\n3 2.0 1 3.0\n");
        e = assertThrows(DataFormatException.class, () -> TableExport.readLammps(p, InteractionKind.BOND, "K"));
        assertEquals(5, e.line());
        Files.writeString(p, "K\nN 3\n\n1 1.0 2.0 3.0\n2 2.0 1 3.0\n");
        e = assertThrows(DataFormatException.class, () -> TableExport.readLammps(p, InteractionKind.BOND, "K"));
        assertMessageContains(e, "has 2 points, N says 3");
        Files.writeString(p, "K\nN 3 NOF\n\n1 1.0 2.0\n");
        assertThrows(DataFormatException.class, () -> TableExport.readLammps(p, InteractionKind.DIHEDRAL, "K"));
        Path x = dir.resolve("t.xvg");
        Files.writeString(x, "@ title\n0 1 2\n0.1 1\n");
        e = assertThrows(DataFormatException.class, () -> TableExport.readXvg(x, InteractionKind.BOND));
        assertEquals(3, e.line());
        Files.writeString(x, "0 1 2\n0.1 1 2\n0.3 1 2\n");
        e = assertThrows(DataFormatException.class, () -> TableExport.readXvg(x, InteractionKind.BOND));
        assertMessageContains(e, "not uniformly spaced");
        Files.writeString(x, "0 1 0 0 0 1 2\n0.1 0 0 0 0 1 2\n");
        e = assertThrows(DataFormatException.class, () -> TableExport.readXvg(x, InteractionKind.PAIR));
        assertEquals(1, e.line());
    }

    @Test
    void numberFormat() {
        assertEquals("0", TableExport.num(0));
        assertEquals("12", TableExport.num(12.0));
        assertEquals("0.3", TableExport.num(0.30000000000000004));
        assertEquals("-1.5e-07", TableExport.num(-1.5e-7));
        assertEquals("1.23456789012346e+20", TableExport.num(1.2345678901234567e20));
        assertArrayEquals(new double[] {0.1}, new double[] {Double.parseDouble(TableExport.num(0.1))});
    }
}

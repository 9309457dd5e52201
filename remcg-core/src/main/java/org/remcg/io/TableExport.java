package org.remcg.io;

import static org.remcg.units.Units.ANGSTROM_PER_NM;
import static org.remcg.units.Units.KCAL;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.remcg.system.InteractionKind;

/**
 * Writes sampled CG potentials ({@link Table}, GROMACS units) as LAMMPS and GROMACS table files, and
 * reads those files back into tables. All files are written atomically.
 *
 * <p><b>LAMMPS</b> ({@code units real}: Angstrom, kcal/mol, 1 kcal = 4.184 kJ). Every file holds one
 * section per table, headed by the table's name as keyword, then a parameter line, a blank line and
 * one line {@code index x E F} per point. FPRIME / FP give dF/dx at both ends of the table in the file's
 * units (one-sided second-order differences of the force column): LAMMPS splines the file's forces and
 * otherwise estimates these slopes to first order, which showed as errors of 5e-5 relative near the cut-off.
 * <ul>
 * <li>pair ({@code pair_style table}): {@code N n R rlo rhi FPRIME fplo fphi}; r in Angstrom, F = -dE/dr in kcal/mol/Angstrom.
 *     The table must start at r > 0 and ends at the cut-off (the {@code pair_coeff} cut-off is its last
 *     point); LAMMPS stops with an error for a pair closer than the first point.</li>
 * <li>bond ({@code bond_style table}): {@code N n FP fplo fphi EQ r0} with r0 the grid point of lowest energy; a bond
 *     outside the table's range is a LAMMPS error.</li>
 * <li>angle ({@code angle_style table}): {@code N n FP fplo fphi EQ theta0}; the table must cover exactly 0..180 degrees;
 *     F = -dE/dtheta in kcal/mol <i>per degree</i> (checked against {@code angle_style harmonic}: a per-radian
 *     column gives forces 57.3 times too large).</li>
 * <li>dihedral ({@code dihedral_style table}): {@code N n DEGREES}; LAMMPS wants a periodic table spanning less
 *     than 360 degrees, so the table must cover -180..180 degrees with equal ends and the point at +180 is
 *     left out; F in kcal/mol per degree (with a per-radian column LAMMPS refuses the table as inconsistent).
 *     Forces are given rather than {@code NOF}, which derives them from the energies less accurately.</li>
 * </ul>
 *
 * <p><b>GROMACS</b> (nm, kJ/mol, degrees for angles). {@code table_bN.xvg} (bond type 8 or 9) holds
 * {@code r U -dU/dr} and must start at r = 0: points below the table's first point get the wall of
 * {@link Table#extended}; a bond longer than the table is an mdrun error. {@code table_aN.xvg} (angle type 8)
 * holds {@code theta U -dU/dtheta} over 0..180 degrees and {@code table_dN.xvg} (dihedral type 8) over
 * -180..180 degrees; for both, GROMACS 2022 expects the derivative per <i>degree</i> (with a per-radian
 * column mdrun warns that forces deviate by 193 % from the numerical derivative and the energies change,
 * because its cubic interpolation uses both columns). Found by running gmx mdrun -rerun, see TableGromacsTest.
 *
 * <p>Non-bonded GROMACS tables ({@code table_A_B.xvg}: {@code x f -f' g -g' h -h'}) are written in the
 * classic format with the CG potential in the repulsion column h (use it with C6 = 0, C12 = 1) and f, g zero,
 * from r = 0 (wall below the first point) to the cut-off plus the table extension (zero past the cut-off).
 * GROMACS 2020 and later cannot use them: the group cut-off scheme is gone (grompp: "The group cutoff
 * scheme has been removed since GROMACS 2020") and the Verlet scheme refuses {@code vdwtype = user}
 * ("With Verlet lists only cut-off and PME LJ interactions are supported"). The file serves GROMACS 2019 and
 * older and tools such as VOTCA.
 */
public final class TableExport {

    /** Default GROMACS {@code table-extension} (nm). */
    public static final double DEFAULT_TABLE_EXTENSION = 1.0;

    private TableExport() {
    }

    // ------------------------------------------------------------------------------------------
    // LAMMPS
    // ------------------------------------------------------------------------------------------

    /** {@code pair_style table} file, one section per table. */
    public static void lammpsPair(Path file, List<Table> tables) throws IOException {
        writeLammps(file, InteractionKind.PAIR, tables);
    }

    /** {@code bond_style table} file. */
    public static void lammpsBond(Path file, List<Table> tables) throws IOException {
        writeLammps(file, InteractionKind.BOND, tables);
    }

    /** {@code angle_style table} file; each table must cover [0, pi]. */
    public static void lammpsAngle(Path file, List<Table> tables) throws IOException {
        writeLammps(file, InteractionKind.ANGLE, tables);
    }

    /** {@code dihedral_style table} file; each table must cover [-pi, pi] with equal ends. */
    public static void lammpsDihedral(Path file, List<Table> tables) throws IOException {
        writeLammps(file, InteractionKind.DIHEDRAL, tables);
    }

    /** Writes the LAMMPS table file for the kind. */
    public static void writeLammps(Path file, InteractionKind kind, List<Table> tables) throws IOException {
        String text = lammpsText(kind, tables);
        AtomicFiles.writeString(file, text);
    }

    static String lammpsText(InteractionKind kind, List<Table> tables) {
        if (tables.isEmpty()) {
            throw new IllegalArgumentException("no " + kind.key() + " tables to write");
        }
        StringBuilder sb = new StringBuilder();
        sb.append("# remcg ").append(kind.key()).append("_style table, units real (Angstrom, kcal/mol");
        sb.append(kind.angular() ? ", degrees; F = -dE/dangle in kcal/mol/degree)\n" : ")\n");
        List<String> seen = new ArrayList<>();
        for (Table t : tables) {
            checkKeyword(t.name());
            if (seen.contains(t.name())) {
                throw new IllegalArgumentException("two " + kind.key() + " tables are named " + t.name());
            }
            seen.add(t.name());
            checkRange(kind, t, true);
            int n = kind == InteractionKind.DIHEDRAL ? t.size() - 1 : t.size();
            double a = toLammpsX(kind, t.lo());
            double b = toLammpsX(kind, t.hi());
            double h = (b - a) / (t.size() - 1);
            double[] u = t.u();
            double[] f = t.f();
            double ff = lammpsForceFactor(kind);
            // derivative of the force column at both ends (file units), one-sided second-order differences;
            // without it LAMMPS estimates it to first order and its spline of F errs near the ends
            String fp = num(endSlope(f[0], f[1], f.length > 2 ? f[2] : Double.NaN, h) * ff) + " "
                    + num(endSlope(f[f.length - 1], f[f.length - 2], f.length > 2 ? f[f.length - 3] : Double.NaN, -h) * ff);
            sb.append('\n').append(t.name()).append('\n').append("N ").append(n);
            switch (kind) {
                case PAIR -> sb.append(" R ").append(num(a)).append(' ').append(num(b)).append(" FPRIME ").append(fp);
                case BOND, ANGLE -> sb.append(" FP ").append(fp).append(" EQ ").append(num(toLammpsX(kind, t.minimum())));
                case DIHEDRAL -> sb.append(" DEGREES");
            }
            sb.append("\n\n");
            for (int i = 0; i < n; i++) {
                double xi = i == t.size() - 1 ? b : a + i * h;
                sb.append(i + 1).append(' ').append(num(xi)).append(' ').append(num(u[i] / KCAL)).append(' ')
                        .append(num(f[i] * ff)).append('\n');
            }
        }
        return sb.toString();
    }

    /**
     * Input lines for one kind: the style command and one coeff command per table, e.g.
     * {@code pair_style table linear 1681} and {@code pair_coeff 1 2 pair.table CG_AB 12}. The style uses
     * linear interpolation in an internal table of 4 (n - 1) + 1 points (n the largest table), which LAMMPS
     * builds from a cubic spline through the file (for pairs the internal table is uniform in r^2). Dihedrals
     * use {@code spline} instead: in LAMMPS 29 Sep 2021 the linear dihedral style interpolated between the
     * file's points whatever the internal size (measured: its error did not change from 360 to 36000 points). {@code typeSpecs} are the type fields of each coeff line
     * ({@code "1 2"} for a pair, {@code "1"} for bonded types), in the order of {@code tables}.
     */
    public static String lammpsSnippet(InteractionKind kind, String file, List<String> typeSpecs, List<Table> tables) {
        if (typeSpecs.size() != tables.size() || tables.isEmpty()) {
            throw new IllegalArgumentException("need one type spec per table, got " + typeSpecs.size() + " for " + tables.size() + " tables");
        }
        int points = 0;
        for (Table t : tables) {
            points = Math.max(points, 4 * (t.size() - 1) + 1);
        }
        StringBuilder sb = new StringBuilder();
        sb.append(kind.key()).append("_style table ").append(kind == InteractionKind.DIHEDRAL ? "spline " : "linear ").append(points).append('\n');
        for (int i = 0; i < tables.size(); i++) {
            Table t = tables.get(i);
            sb.append(kind.key()).append("_coeff ").append(typeSpecs.get(i)).append(' ').append(file).append(' ').append(t.name());
            if (kind == InteractionKind.PAIR) {
                sb.append(' ').append(num(t.hi() * ANGSTROM_PER_NM));
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    /** df/dx at the end holding f0, from f0, f1, f2 at spacing h (negative h: the upper end). */
    private static double endSlope(double f0, double f1, double f2, double h) {
        return Double.isNaN(f2) ? (f1 - f0) / h : (-3 * f0 + 4 * f1 - f2) / (2 * h);
    }

    private static double toLammpsX(InteractionKind kind, double x) {
        return kind.angular() ? Math.toDegrees(x) : x * ANGSTROM_PER_NM;
    }

    /** Multiplies a remcg force (kJ/mol/nm or kJ/mol/rad) into LAMMPS real units (per Angstrom or per degree). */
    private static double lammpsForceFactor(InteractionKind kind) {
        return kind.angular() ? Math.PI / 180 / KCAL : 1 / (KCAL * ANGSTROM_PER_NM);
    }

    private static void checkKeyword(String name) {
        if (!name.matches("[A-Za-z0-9_.+\\-]+") || name.startsWith("#")) {
            throw new IllegalArgumentException("table name '" + name + "' cannot be a LAMMPS keyword: use letters, digits and _ - . +");
        }
    }

    /** Range rules of each kind. */
    private static void checkRange(InteractionKind kind, Table t, boolean lammps) {
        double tol = Table.GRID_TOLERANCE * t.step();
        switch (kind) {
            case PAIR -> {
                if (lammps && !(t.lo() > 0)) {
                    throw new IllegalArgumentException("pair table " + t.name() + " starts at r = " + t.lo() + "; LAMMPS needs r > 0");
                }
            }
            case BOND -> {
                if (t.lo() < 0) {
                    throw new IllegalArgumentException("bond table " + t.name() + " starts at r = " + t.lo() + " < 0");
                }
            }
            case ANGLE -> {
                if (Math.abs(t.lo()) > tol || Math.abs(t.hi() - Math.PI) > tol) {
                    throw new IllegalArgumentException("angle table " + t.name() + " covers [" + t.lo() + ", " + t.hi()
                            + "] rad; it must cover exactly [0, pi]");
                }
            }
            case DIHEDRAL -> {
                if (Math.abs(t.lo() + Math.PI) > tol || Math.abs(t.hi() - Math.PI) > tol) {
                    throw new IllegalArgumentException("dihedral table " + t.name() + " covers [" + t.lo() + ", " + t.hi()
                            + "] rad; it must cover exactly [-pi, pi]");
                }
                double[] u = t.u();
                double[] f = t.f();
                int n = u.length - 1;
                double uScale = 1, fScale = 1;
                for (int i = 0; i <= n; i++) {
                    uScale = Math.max(uScale, Math.abs(u[i]));
                    fScale = Math.max(fScale, Math.abs(f[i]));
                }
                if (Math.abs(u[0] - u[n]) > 1e-6 * uScale || Math.abs(f[0] - f[n]) > 1e-6 * fScale) {
                    throw new IllegalArgumentException("dihedral table " + t.name() + " is not periodic: at -pi u = " + u[0] + ", f = " + f[0]
                            + ", at pi u = " + u[n] + ", f = " + f[n]);
                }
            }
        }
    }

    // ------------------------------------------------------------------------------------------
    // GROMACS
    // ------------------------------------------------------------------------------------------

    /** Non-bonded table with the default table extension of 1 nm; see the class comment. */
    public static void gromacsNonbonded(Path file, Table t) throws IOException {
        gromacsNonbonded(file, t, DEFAULT_TABLE_EXTENSION);
    }

    /**
     * Non-bonded {@code table_A_B.xvg}: r from 0 to (last point + extension) on the table's spacing,
     * columns {@code r 0 0 0 0 U F}; the table's first point must lie on the grid k * step (see
     * {@link Table#sampleOnGrid}).
     */
    public static void gromacsNonbonded(Path file, Table t, double tableExtension) throws IOException {
        if (!(tableExtension >= 0)) {
            throw new IllegalArgumentException("table extension must be >= 0, got " + tableExtension);
        }
        if (t.lo() < 0) {
            throw new IllegalArgumentException("pair table " + t.name() + " starts at r = " + t.lo() + " < 0");
        }
        double h = t.step();
        long above = Math.round(Math.ceil(tableExtension / h - Table.GRID_TOLERANCE));
        Table e = t.extended(0, t.hi() + above * h);
        StringBuilder sb = header(t, "non-bonded: r (nm), f -f' g -g' (zero), h = U (kJ/mol), -h' = F (kJ/mol/nm); use C6 = 0, C12 = 1");
        double[] x = e.x();
        double[] u = e.u();
        double[] f = e.f();
        for (int i = 0; i < x.length; i++) {
            sb.append(num(x[i])).append(" 0 0 0 0 ").append(num(u[i])).append(' ').append(num(f[i])).append('\n');
        }
        AtomicFiles.writeString(file, sb.toString());
    }

    /** {@code table_bN.xvg} for bond type 8/9: r (nm) from 0, U (kJ/mol), -dU/dr (kJ/mol/nm). */
    public static void gromacsBond(Path file, Table t) throws IOException {
        checkRange(InteractionKind.BOND, t, false);
        Table e = t.extended(0, t.hi());
        writeXvg(file, e, 1, 1, "bond: r (nm), U (kJ/mol), -dU/dr (kJ/mol/nm)");
    }

    /** {@code table_aN.xvg} for angle type 8: theta 0..180 degrees, U (kJ/mol), -dU/dtheta (kJ/mol/degree). */
    public static void gromacsAngle(Path file, Table t) throws IOException {
        checkRange(InteractionKind.ANGLE, t, false);
        writeXvg(file, t, 180 / Math.PI, Math.PI / 180, "angle: theta (degrees), U (kJ/mol), -dU/dtheta (kJ/mol/degree)");
    }

    /** {@code table_dN.xvg} for dihedral type 8: phi -180..180 degrees, U (kJ/mol), -dU/dphi (kJ/mol/degree). */
    public static void gromacsDihedral(Path file, Table t) throws IOException {
        checkRange(InteractionKind.DIHEDRAL, t, false);
        writeXvg(file, t, 180 / Math.PI, Math.PI / 180, "dihedral: phi (degrees), U (kJ/mol), -dU/dphi (kJ/mol/degree)");
    }

    private static StringBuilder header(Table t, String what) {
        StringBuilder sb = new StringBuilder();
        sb.append("# remcg table ").append(t.name()).append('\n').append("# ").append(what).append('\n');
        return sb;
    }

    private static void writeXvg(Path file, Table t, double xFactor, double fFactor, String what) throws IOException {
        StringBuilder sb = header(t, what);
        double a = t.lo() * xFactor;
        double b = t.hi() * xFactor;
        double h = (b - a) / (t.size() - 1);
        double[] u = t.u();
        double[] f = t.f();
        for (int i = 0; i < u.length; i++) {
            double xi = i == u.length - 1 ? b : a + i * h;
            sb.append(num(xi)).append(' ').append(num(u[i])).append(' ').append(num(f[i] * fFactor)).append('\n');
        }
        AtomicFiles.writeString(file, sb.toString());
    }

    // ------------------------------------------------------------------------------------------
    // Readers
    // ------------------------------------------------------------------------------------------

    /**
     * Reads the section {@code keyword} of a LAMMPS table file of the given kind into a table in GROMACS
     * units (named after the keyword). The x column is used (not the R range); it must be uniform. A
     * dihedral table (degrees or {@code RADIANS}; {@code NOF} is not supported) is closed periodically:
     * its first point is repeated at +360 degrees, so the result covers the same range as what
     * {@link #lammpsDihedral} was given.
     */
    public static Table readLammps(Path file, InteractionKind kind, String keyword) throws IOException, DataFormatException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        int at = -1;
        for (int i = 0; i < lines.size(); i++) {
            String[] w = words(lines.get(i));
            if (w.length > 0 && w[0].equals(keyword)) {
                at = i;
                break;
            }
        }
        if (at < 0) {
            throw new DataFormatException(file, 0, "no section '" + keyword + "'");
        }
        int p = at + 1;
        while (p < lines.size() && words(lines.get(p)).length == 0) {
            p++;
        }
        if (p == lines.size()) {
            throw new DataFormatException(file, at + 1, "section '" + keyword + "' has no parameter line");
        }
        String[] params = words(lines.get(p));
        int n = -1;
        boolean radians = false;
        for (int k = 0; k < params.length; k++) {
            switch (params[k]) {
                case "N" -> n = k + 1 < params.length ? positiveInt(file, p + 1, params[k + 1]) : -1;
                case "RADIANS" -> radians = true;
                case "NOF" -> throw new DataFormatException(file, p + 1, "NOF tables (energies only) are not supported");
                case "RSQ", "BITMAP" -> throw new DataFormatException(file, p + 1, params[k] + " tables are not uniform in r; not supported");
                default -> {
                }
            }
        }
        if (n < 2) {
            throw new DataFormatException(file, p + 1, "expected 'N <points>' (at least 2) in the parameter line of '" + keyword + "'");
        }
        double xf = switch (kind) {
            case PAIR, BOND -> 1 / ANGSTROM_PER_NM;
            case ANGLE -> Math.PI / 180;
            case DIHEDRAL -> radians ? 1 : Math.PI / 180;
        };
        double ff = switch (kind) {
            case PAIR, BOND -> KCAL * ANGSTROM_PER_NM;
            case ANGLE -> KCAL * 180 / Math.PI;
            case DIHEDRAL -> radians ? KCAL : KCAL * 180 / Math.PI;
        };
        boolean close = kind == InteractionKind.DIHEDRAL;
        int total = close ? n + 1 : n;
        double[] x = new double[total];
        double[] u = new double[total];
        double[] f = new double[total];
        int i = 0;
        int ln = p + 1;
        for (; ln < lines.size() && i < n; ln++) {
            String[] w = words(lines.get(ln));
            if (w.length == 0) {
                if (i == 0) {
                    continue;
                }
                break;
            }
            if (w.length < 4) {
                throw new DataFormatException(file, ln + 1, "expected 'index x E F', got " + w.length + " fields");
            }
            if (positiveInt(file, ln + 1, w[0]) != i + 1) {
                throw new DataFormatException(file, ln + 1, "expected index " + (i + 1) + ", got " + w[0]);
            }
            x[i] = number(file, ln + 1, w[1]) * xf;
            u[i] = number(file, ln + 1, w[2]) * KCAL;
            f[i] = number(file, ln + 1, w[3]) * ff;
            i++;
        }
        if (i < n) {
            throw new DataFormatException(file, ln, "section '" + keyword + "' has " + i + " points, N says " + n);
        }
        if (close) {
            x[n] = x[0] + 2 * Math.PI;
            u[n] = u[0];
            f[n] = f[0];
        }
        return table(file, keyword, x, u, f);
    }

    /**
     * Reads a GROMACS table ({@code #} and {@code @} lines skipped) into a table in GROMACS units named after
     * the file. Bonds: {@code r U F}; angles and dihedrals: degrees and per-degree derivatives, converted to
     * radians; pairs: the 7-column non-bonded layout written by {@link #gromacsNonbonded}, whose f and g
     * columns must be zero (the potential is the h column).
     */
    public static Table readXvg(Path file, InteractionKind kind) throws IOException, DataFormatException {
        int columns = kind == InteractionKind.PAIR ? 7 : 3;
        double xf = kind.angular() ? Math.PI / 180 : 1;
        double ff = kind.angular() ? 180 / Math.PI : 1;
        double[] x = new double[64];
        double[] u = new double[64];
        double[] f = new double[64];
        int n = 0;
        long ln = 0;
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            for (String line; (line = r.readLine()) != null;) {
                ln++;
                String s = line.strip();
                if (s.isEmpty() || s.startsWith("#") || s.startsWith("@")) {
                    continue;
                }
                String[] w = s.split("\\s+");
                if (w.length < columns) {
                    throw new DataFormatException(file, ln, "expected " + columns + " columns, got " + w.length);
                }
                if (n == x.length) {
                    x = java.util.Arrays.copyOf(x, 2 * n);
                    u = java.util.Arrays.copyOf(u, 2 * n);
                    f = java.util.Arrays.copyOf(f, 2 * n);
                }
                x[n] = number(file, ln, w[0]) * xf;
                if (kind == InteractionKind.PAIR) {
                    for (int c = 1; c <= 4; c++) {
                        if (number(file, ln, w[c]) != 0) {
                            throw new DataFormatException(file, ln, "column " + (c + 1) + " (f or g) is " + w[c]
                                    + "; only tables with the potential in the h column are read");
                        }
                    }
                    u[n] = number(file, ln, w[5]);
                    f[n] = number(file, ln, w[6]);
                } else {
                    u[n] = number(file, ln, w[1]);
                    f[n] = number(file, ln, w[2]) * ff;
                }
                n++;
            }
        }
        String name = file.getFileName().toString().replaceFirst("\\.xvg$", "");
        return table(file, name, java.util.Arrays.copyOf(x, n), java.util.Arrays.copyOf(u, n), java.util.Arrays.copyOf(f, n));
    }

    private static Table table(Path file, String name, double[] x, double[] u, double[] f) throws DataFormatException {
        try {
            return new Table(name, x, u, f);
        } catch (IllegalArgumentException e) {
            throw new DataFormatException(file, 0, e.getMessage());
        }
    }

    private static String[] words(String line) {
        int hash = line.indexOf('#');
        String s = (hash >= 0 ? line.substring(0, hash) : line).strip();
        return s.isEmpty() ? new String[0] : s.split("\\s+");
    }

    private static int positiveInt(Path file, long line, String s) throws DataFormatException {
        try {
            int v = Integer.parseInt(s);
            if (v > 0) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new DataFormatException(file, line, "'" + s + "' is not a positive integer");
    }

    private static double number(Path file, long line, String s) throws DataFormatException {
        try {
            double v = Double.parseDouble(s);
            if (Double.isFinite(v)) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new DataFormatException(file, line, "'" + s + "' is not a finite number");
    }

    /** 15 significant digits without trailing zeros; plain decimal for moderate magnitudes. */
    static String num(double v) {
        if (v == 0) {
            return "0";
        }
        double a = Math.abs(v);
        if (a >= 1e-4 && a < 1e15) {
            String s = new java.math.BigDecimal(v).round(new java.math.MathContext(15)).stripTrailingZeros().toPlainString();
            return s;
        }
        String s = String.format(Locale.ROOT, "%.14e", v);
        int e = s.indexOf('e');
        String mant = s.substring(0, e);
        if (mant.contains(".")) {
            mant = mant.replaceAll("0+$", "").replaceAll("\\.$", "");
        }
        return mant + s.substring(e);
    }
}

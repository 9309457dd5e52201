package org.remcg.fit.problem;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.remcg.fit.FitTerm;
import org.remcg.io.AtomicFiles;
import org.remcg.io.Table;
import org.remcg.io.TableExport;
import org.remcg.model.CubicBSpline;
import org.remcg.model.ForceField;
import org.remcg.model.ModelFile;
import org.remcg.model.ParameterLayout;
import org.remcg.model.SplinePotential;
import org.remcg.system.CgTopology;
import org.remcg.system.InteractionKind;

/**
 * The files a fitted model is used from: the engine's model file ({@code model.yaml}) and the tables for LAMMPS
 * ({@code tables/lammps}: one table file per interaction kind and the input lines {@code in.tables}) and GROMACS
 * ({@code tables/gromacs}). {@link TableExport} writes each file's format; this class decides which tables there
 * are, their names, grids and type numbers. Every file is written atomically.
 */
public final class FitExport {
    private FitExport() {
    }

    /** Grid step of exported tables: nm for distances. */
    public static final double TABLE_STEP = 0.002;
    /** Grid step of exported angle and dihedral tables: radians. */
    public static final double ANGLE_STEP = Math.toRadians(0.5);

    /** The engine's model file ({@link ModelFile}) of the force field at theta, with the bead masses. */
    public static void writeModel(Path file, ForceField ff, CgTopology top, double[] theta) throws IOException {
        ff.setParameters(theta);
        Map<String, Double> masses = new LinkedHashMap<>();
        for (int i = 0; i < top.size(); i++) {
            masses.putIfAbsent(top.typeName(top.type()[i]), top.mass()[i]);
        }
        ModelFile.write(file, ff, masses);
    }

    /**
     * Samples the term's spline with the given coefficients on the export grid. Angle tables always span [0, pi] and dihedral
     * tables [-pi, pi] (the formats require it): outside a narrower basis range the potential's
     * wall continuation ({@link SplinePotential#energy}) fills them, as in the engine.
     */
    public static Table table(FitTerm t, double[] coefficients, String name) {
        CubicBSpline b = t.basis();
        SplinePotential p = new SplinePotential(b, coefficients.clone());
        boolean angular = t.kind().angular();
        double step = angular ? ANGLE_STEP : TABLE_STEP;
        double lo = switch (t.kind()) {
            case PAIR -> step;
            case BOND -> b.lower();
            case ANGLE -> 0;
            case DIHEDRAL -> -Math.PI;
        };
        double hi = angular ? Math.PI : b.upper();
        int n = (int) Math.round((hi - lo) / step) + 1;
        return Table.sample(name, p::energy, p::derivative, lo, hi, Math.max(n, 2));
    }

    /**
     * Writes tables/lammps (table files and the input lines {@code in.tables}: masses, special_bonds for the
     * exclusions, style and coeff lines; type pairs without a fitted pair term get a zero table, so LAMMPS finds
     * every pair coefficient set) and tables/gromacs.
     */
    public static void writeTables(Path dir, List<FitTerm> terms, CgTopology top, int hops, double[] theta) throws IOException {
        ParameterLayout layout = FitTerm.layout(terms);
        Path lmp = dir.resolve("lammps");
        Path gmx = dir.resolve("gromacs");
        Files.createDirectories(lmp);
        Files.createDirectories(gmx);
        Map<InteractionKind, List<Table>> byKind = new LinkedHashMap<>();
        Map<InteractionKind, List<String>> specs = new LinkedHashMap<>();
        int[] counters = new int[4];
        StringBuilder gmxNotes = new StringBuilder();
        for (int q = 0; q < terms.size(); q++) {
            FitTerm t = terms.get(q);
            InteractionKind kind = t.kind();
            String key = t.fileName().toUpperCase(Locale.ROOT).replace('-', '_');
            Table tab = table(t, layout.slice(theta, q), key);
            byKind.computeIfAbsent(kind, k -> new ArrayList<>()).add(tab);
            String spec;
            if (kind == InteractionKind.PAIR) {
                spec = (top.typeIndex(t.beads().get(0)) + 1) + " " + (top.typeIndex(t.beads().get(1)) + 1);
                if (top.typeIndex(t.beads().get(0)) > top.typeIndex(t.beads().get(1))) {
                    spec = (top.typeIndex(t.beads().get(1)) + 1) + " " + (top.typeIndex(t.beads().get(0)) + 1);
                }
                TableExport.gromacsNonbonded(gmx.resolve("table_" + t.beads().get(0) + "_" + t.beads().get(1) + ".xvg"), tab);
            } else {
                int n = counters[kind.ordinal()]++;
                spec = Integer.toString(n + 1);
                String prefix = switch (kind) {
                    case BOND -> "table_b";
                    case ANGLE -> "table_a";
                    default -> "table_d";
                };
                Path f = gmx.resolve(prefix + n + ".xvg");
                switch (kind) {
                    case BOND -> TableExport.gromacsBond(f, tab);
                    case ANGLE -> TableExport.gromacsAngle(f, tab);
                    default -> TableExport.gromacsDihedral(f, tab);
                }
                gmxNotes.append(String.format(Locale.ROOT, "; %s: %s type 8, table number %d, k = 1%n", f.getFileName(), t.name(), n));
            }
            specs.computeIfAbsent(kind, k -> new ArrayList<>()).add(spec);
        }
        zeroPairTables(top, byKind, specs);
        StringBuilder snippet = new StringBuilder("# remcg: LAMMPS input lines for the fitted model (units real: Angstrom, kcal/mol, degrees)\n"
                + "# use after read_data (atom types as listed below), from the directory holding the .table files:\n"
                + "#   units real ... read_data your.data ... include in.tables\n"
                + "# bead types: " + typesLine(top) + "\n");
        for (int ty = 0; ty < top.types(); ty++) {
            for (int i = 0; i < top.size(); i++) {
                if (top.type()[i] == ty) {
                    snippet.append(String.format(Locale.ROOT, "mass %d %s%n", ty + 1, top.mass()[i]));
                    break;
                }
            }
        }
        if (top.bondCount() > 0) {
            snippet.append(specialBonds(hops));
        }
        for (Map.Entry<InteractionKind, List<Table>> e : byKind.entrySet()) {
            String file = e.getKey().name().toLowerCase(Locale.ROOT) + ".table";
            TableExport.writeLammps(lmp.resolve(file), e.getKey(), e.getValue().stream().distinct().toList());
            snippet.append(TableExport.lammpsSnippet(e.getKey(), file, specs.get(e.getKey()), e.getValue()));
        }
        AtomicFiles.writeString(lmp.resolve("in.tables"), snippet.toString());
        AtomicFiles.writeString(gmx.resolve("README.txt"), "remcg tables for GROMACS (nm, kJ/mol, degrees for angles).\n"
                + "Bonded tables run in current GROMACS: use the interaction type 8 with the table number and k = 1 in the topology:\n" + gmxNotes
                + "Non-bonded table_A_B.xvg files hold the potential in the repulsion column (C6 = 0, C12 = 1 in the topology); GROMACS 2020 and\n"
                + "later cannot use user non-bonded tables (the group cut-off scheme was removed); they run in GROMACS 2019 and older.\n");
    }

    /**
     * LAMMPS {@code special_bonds} weights that leave out the pairs remcg excludes ({@code exclude_hops}): 1-2, 1-3
     * and 1-4 pairs of the bonded topology. LAMMPS cannot leave out pairs further apart along the bonds; more
     * than 3 hops is noted as a comment.
     */
    public static String specialBonds(int hops) {
        String w = (hops >= 1 ? "0.0" : "1.0") + " " + (hops >= 2 ? "0.0" : "1.0") + " " + (hops >= 3 ? "0.0" : "1.0");
        return "special_bonds lj " + w + " coul " + w + "   # remcg exclude_hops " + hops + "\n"
                + (hops > 3 ? "# note: remcg also excludes pairs up to " + hops + " bonds apart; LAMMPS special_bonds stops at 1-4 pairs\n" : "");
    }

    /** A zero pair table for every pair of bead types that no fitted pair term covers (when there are pair terms). */
    private static void zeroPairTables(CgTopology top, Map<InteractionKind, List<Table>> byKind, Map<InteractionKind, List<String>> specs) {
        List<Table> pairs = byKind.get(InteractionKind.PAIR);
        if (pairs == null) {
            return;
        }
        Table ref = pairs.get(0);
        Table zero = null;
        for (int a = 1; a <= top.types(); a++) {
            for (int b = a; b <= top.types(); b++) {
                if (!specs.get(InteractionKind.PAIR).contains(a + " " + b)) {
                    if (zero == null) {
                        zero = Table.sample("ZERO", r -> 0, r -> 0, ref.lo(), ref.hi(), 2);
                    }
                    pairs.add(zero);   // one section in the file, one coeff line per type pair
                    specs.get(InteractionKind.PAIR).add(a + " " + b);
                }
            }
        }
    }

    private static String typesLine(CgTopology top) {
        StringBuilder sb = new StringBuilder();
        for (int t = 0; t < top.types(); t++) {
            sb.append(t + 1).append(" = ").append(top.typeName(t)).append(t + 1 < top.types() ? ", " : "");
        }
        return sb.toString();
    }
}

package org.remcg.cli;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.remcg.cli.config.FitConfig;
import org.remcg.fit.FitTerm;
import org.remcg.fit.RemFit;
import org.remcg.fit.TargetDistribution;
import org.remcg.io.Table;
import org.remcg.io.TableExport;
import org.remcg.model.CubicBSpline;
import org.remcg.model.SplinePotential;
import org.remcg.optimize.IterativeRem;
import org.remcg.simulate.Engine;
import org.remcg.system.CgTopology;
import org.remcg.system.InteractionKind;

/**
 * The files a fit leaves in its output directory: model.yaml, LAMMPS and GROMACS tables,
 * history.csv, distributions/*.csv, PNG plots and a self-contained report.html. Every file is
 * written atomically.
 */
final class FitOutputs {
    private FitOutputs() {
    }

    /** One-line results per interaction, for the terminal and the report. */
    record Summary(List<String> lines, List<double[]> errors) {
    }

    /** Grid step of exported tables: nm for distances, radians for angles. */
    static final double TABLE_STEP = 0.002;
    static final double ANGLE_STEP = Math.toRadians(0.5);

    /**
     * history.csv: one row per simulation. noise_ratio is the gradient criterion's statistic,
     * dist_&lt;interaction&gt; the distribution criterion's (mean g^2/var(g) over that interaction's
     * coefficients), then the trust-region measurement of the step that led to the simulation and
     * the step taken from it; the last row's stop column says which criterion stopped the run.
     */
    static void history(Path file, IterativeRem.State state, List<FitTerm> terms) throws IOException {
        StringBuilder sb = new StringBuilder("simulation,frames,md_steps,gradient_norm,noise_ratio");
        for (FitTerm t : terms) {
            sb.append(",dist_").append(t.fileName());
        }
        for (FitTerm t : terms) {
            sb.append(",worst_").append(t.fileName());
        }
        sb.append(",measured_dS,measured_dS_error,rho,verdict,radius,newton_steps,predicted_dS,ess,stop,note\n");
        List<IterativeRem.Step> steps = state.history();
        for (int i = 0; i < steps.size(); i++) {
            IterativeRem.Step s = steps.get(i);
            sb.append(String.format(Locale.ROOT, "%d,%d,%d,%.6g,%.6g", s.simulation(), s.frames(), s.mdSteps(), s.gradientNorm(), s.noise()));
            for (int q = 0; q < terms.size(); q++) {
                sb.append(String.format(Locale.ROOT, ",%.6g", q < s.termNoise().length ? s.termNoise()[q] : Double.NaN));
            }
            for (int q = 0; q < terms.size(); q++) {
                sb.append(',').append(q < s.worst().length ? worst(terms, s.worst()[q], s.worstZ()[q]) : "");
            }
            String stop = i == steps.size() - 1 && state.stop() != null ? stopReason(state) : "";
            sb.append(String.format(Locale.ROOT, ",%.6g,%.3g,%.4g,%s,%.4g,%d,%.6g,%.4f,%s,%s%n", s.measuredChange(), s.measuredError(), s.rho(),
                    s.verdict().name().toLowerCase(Locale.ROOT), s.radius(), s.newtonSteps(), s.predictedChange(), s.ess(), stop.replace(',', ';'),
                    s.note().replace(',', ';')));
        }
        AtomicFiles.writeString(file, sb.toString());
    }

    /**
     * Where an interaction's gradient is largest in units of its noise: the support of that B-spline (its
     * "bin" on the basis grid) and |g| / sd(g), e.g. {@code 0.271-0.325 nm z 4.2}; empty when unknown.
     */
    static String worst(List<FitTerm> terms, int coefficient, double z) {
        if (coefficient < 0) {
            return "";
        }
        int at = 0;
        for (FitTerm t : terms) {
            int k = coefficient - at;
            if (k < t.basis().size()) {
                CubicBSpline b = t.basis();
                double lo = b.supportLower(k);
                double hi = b.supportUpper(k);
                String unit = t.unit();
                return String.format(Locale.ROOT, "%.4g-%.4g %s z %.2g", lo, hi, unit, z);
            }
            at += t.basis().size();
        }
        return "";
    }

    /** MD steps of all the fit's simulations (from its history, so a resumed run counts the earlier process's too). */
    static long totalSteps(IterativeRem.State fin) {
        long n = 0;
        for (IterativeRem.Step st : fin.history()) {
            n += st.mdSteps();
        }
        return n;
    }

    static String stepsPerSimulation(IterativeRem.State fin) {
        StringBuilder sb = new StringBuilder();
        for (IterativeRem.Step st : fin.history()) {
            sb.append(sb.length() == 0 ? "" : ", ").append(st.mdSteps());
        }
        return sb.toString();
    }

    /** Which criterion stopped the run, in words. */
    static String stopReason(IterativeRem.State fin) {
        if (fin.stop() == null) {
            return "";
        }
        return fin.stop() == IterativeRem.Stop.CONVERGED
                ? "converged: gradient and every interaction's distribution within statistical noise"
                : "max_iterations: simulation budget used up before convergence (result: the last accepted point)";
    }

    /**
     * The plain statement of a fit that stopped at its budget: how many simulations, and each interaction's
     * distribution criterion at the last simulation against its threshold.
     */
    static String notConverged(IterativeRem.State fin, List<FitTerm> terms, RemFit.Start start) {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "NOT CONVERGED: the budget of %d simulations ran out before the "
                + "gradient and every distribution were within their statistical noise; the outputs hold the last accepted point.", fin.simulations()));
        IterativeRem.Step last = null;
        for (IterativeRem.Step st : fin.history()) {
            if (st.termNoise().length > 0) {
                last = st;
            }
        }
        if (last != null) {
            sb.append(String.format(Locale.ROOT, " At simulation %d: noise ratio %.3g;", last.simulation(), last.noise()));
            for (int q = 0; q < terms.size() && q < last.termNoise().length; q++) {
                double thr = IterativeRem.termThreshold(start.perTerm().get(q).free());
                sb.append(String.format(Locale.ROOT, " %s %.3g (needs < %.3g)%s", terms.get(q).name(), last.termNoise()[q], thr,
                        last.termNoise()[q] < thr ? " ok" : ""));
                sb.append(q + 1 < terms.size() ? ";" : ".");
            }
        }
        sb.append(" Raise optimizer.max_iterations or engine.steps and run again (--overwrite).");
        return sb.toString();
    }

    /**
     * All outputs of a finished fit.
     *
     * @param seconds wall time of the whole run (a resumed run's earlier processes included), for the report
     * @param steps   MD steps of the whole run, the validation run included, for the report
     */
    static Summary write(Path out, FitConfig cfg, org.remcg.model.ForceField ff, List<FitTerm> terms, CgTopology top, IterativeRem.State fin,
            List<double[]> thetas,
            List<TargetDistribution> targets, List<double[]> targetErrors, List<TargetDistribution> model, List<double[]> modelErrors,
            RemFit.Start start, double seconds, long steps, List<String> diagnostics) throws IOException {
        Files.createDirectories(out.resolve("distributions"));
        Files.createDirectories(out.resolve("plots"));
        writeModel(out.resolve("model.yaml"), ff, top, fin.theta());
        writeTables(out.resolve("tables"), terms, top, cfg.reference().exclusionHops(), fin.theta());
        history(out.resolve("history.csv"), fin, terms);
        List<String> lines = new ArrayList<>();
        List<double[]> errors = new ArrayList<>();
        List<String> images = new ArrayList<>();
        int at = 0;
        for (int q = 0; q < terms.size(); q++) {
            FitTerm t = terms.get(q);
            TargetDistribution tg = targets.get(q);
            TargetDistribution md = model.get(q);
            double[] se = modelErrors == null ? null : modelErrors.get(q);
            Comparison c = compare(t, tg, targetErrors == null ? null : targetErrors.get(q), md, se);
            AtomicFiles.writeString(out.resolve("distributions").resolve(t.fileName() + ".csv"), c.csv());
            double maxDiff = c.maxDiff();
            double maxT = c.peak();
            errors.add(new double[] {maxDiff, maxT});
            lines.add(c.line(t));
            images.add(png(out.resolve("plots").resolve(t.fileName() + "-distribution.png"), distributionChart(t, tg, md)));
            images.add(png(out.resolve("plots").resolve(t.fileName() + "-potential.png"), potentialChart(t, thetas, at, cfg.temperature())));
            at += t.basis().size();
        }
        images.add(png(out.resolve("plots").resolve("convergence.png"), convergenceChart(fin.history())));
        report(out.resolve("report.html"), cfg, terms, fin, lines, images, seconds, steps, diagnostics);
        return new Summary(lines, errors);
    }

    /**
     * Target against model on the target's own bins (both distributions must have the same bins), over the bins
     * that end at or before a pair's cutoff.
     *
     * @param maxDiff   largest |target - model|
     * @param worstLo   lower edge of that bin
     * @param worstHi   upper edge
     * @param rms       root mean square of target - model over the compared range, bins weighted by width
     * @param worstZ    largest |target - model| / model error over the bins (NaN without errors)
     * @param zLo       lower edge of that bin
     * @param zHi       upper edge
     * @param peak      largest target value
     * @param csv       distributions/*.csv text
     */
    record Comparison(double maxDiff, double worstLo, double worstHi, double rms, double worstZ, double zLo, double zHi, double peak, String csv,
                      boolean withTarget) {

        String line(FitTerm t) {
            String unit = t.unit();
            String z = Double.isNaN(worstZ) ? "" : String.format(Locale.ROOT, "; worst bin %.3g-%.3g %s at %.1f %s", zLo, zHi, unit, worstZ,
                    withTarget ? "combined errors of target and model" : "model errors (the target's are unknown)");
            return String.format(Locale.ROOT, "%-22s max |target - model| = %.4f at %.3g-%.3g %s, rms %.4f (%s on the target's bins%s; target peak %.3f)",
                    t.name(), maxDiff, worstLo, worstHi, unit, rms, t.kind() == InteractionKind.PAIR ? "g(r) up to the cutoff" : "probability density",
                    z, peak);
        }
    }

    /**
     * @param targetSe per-bin standard errors of the target (a reference trajectory's blocks), or null when unknown
     *                 (target files)
     * @param se       per-bin standard errors of the model run
     */
    static Comparison compare(FitTerm t, TargetDistribution tg, double[] targetSe, TargetDistribution md, double[] se) {
        if (!tg.sameBins(md)) {
            throw new IllegalStateException(t.name() + ": target and model distributions are not on the same bins");
        }
        StringBuilder csv = new StringBuilder("x,target,model,model_error,bin_lo,bin_hi,z,target_error\n");
        double upper = t.kind() == InteractionKind.PAIR ? t.cutoff() : Double.POSITIVE_INFINITY;
        double[] e = md.edges();
        double maxDiff = 0;
        double peak = 0;
        double ss = 0;
        double span = 0;
        double worstZ = Double.NaN;
        int worst = 0;
        int worstZBin = 0;
        double tol = 1e-9 * (e[e.length - 1] - e[0]);
        for (int i = 0; i < md.bins(); i++) {
            double a = tg.value()[i];
            double b = md.value()[i];
            double err = se == null ? Double.NaN : se[i];
            double terr = targetSe == null ? Double.NaN : targetSe[i];
            double comb = Math.sqrt(err * err + (Double.isNaN(terr) ? 0 : terr * terr));
            double z = comb > 0 ? Math.abs(a - b) / comb : Double.NaN;
            csv.append(String.format(Locale.ROOT, "%.6f,%.6g,%.6g,%.4g,%.6f,%.6f,%.3g,%.4g%n", md.x()[i], a, b, err, e[i], e[i + 1], z, terr));
            if (e[i + 1] > upper + tol) {
                continue;
            }
            double w = e[i + 1] - e[i];
            ss += w * (a - b) * (a - b);
            span += w;
            if (Math.abs(a - b) > maxDiff) {
                maxDiff = Math.abs(a - b);
                worst = i;
            }
            if (!Double.isNaN(z) && (Double.isNaN(worstZ) || z > worstZ)) {
                worstZ = z;
                worstZBin = i;
            }
            peak = Math.max(peak, a);
        }
        return new Comparison(maxDiff, e[worst], e[worst + 1], span > 0 ? Math.sqrt(ss / span) : 0, worstZ, e[worstZBin], e[worstZBin + 1], peak,
                csv.toString(), targetSe != null);
    }

    /** The engine's model file ({@link org.remcg.model.ModelFile}) of the force field at theta, with the bead masses. */
    static void writeModel(Path file, org.remcg.model.ForceField ff, CgTopology top, double[] theta) throws IOException {
        ff.setParameters(theta);
        Map<String, Double> masses = new LinkedHashMap<>();
        for (int i = 0; i < top.size(); i++) {
            masses.putIfAbsent(top.typeName(top.type()[i]), top.mass()[i]);
        }
        org.remcg.model.ModelFile.write(file, ff, masses);
    }

    /**
     * Samples term q's spline on the export grid. Angle tables always span [0, pi] and dihedral
     * tables [-pi, pi] (the formats require it): outside a narrower basis range the potential's
     * wall continuation ({@link SplinePotential#energy}) fills them, as in the engine.
     */
    static Table table(FitTerm t, double[] theta, int at, String name) {
        CubicBSpline b = t.basis();
        SplinePotential p = new SplinePotential(b, java.util.Arrays.copyOfRange(theta, at, at + b.size()));
        boolean angular = t.kind() == InteractionKind.ANGLE || t.kind() == InteractionKind.DIHEDRAL;
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
    static void writeTables(Path dir, List<FitTerm> terms, CgTopology top, int hops, double[] theta) throws IOException {
        Path lmp = dir.resolve("lammps");
        Path gmx = dir.resolve("gromacs");
        Files.createDirectories(lmp);
        Files.createDirectories(gmx);
        Map<InteractionKind, List<Table>> byKind = new LinkedHashMap<>();
        Map<InteractionKind, List<String>> specs = new LinkedHashMap<>();
        int at = 0;
        int[] counters = new int[4];
        StringBuilder gmxNotes = new StringBuilder();
        for (FitTerm t : terms) {
            InteractionKind kind = t.kind();
            String key = t.fileName().toUpperCase(Locale.ROOT).replace('-', '_');
            Table tab = table(t, theta, at, key);
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
            at += t.basis().size();
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
    static String specialBonds(int hops) {
        String w = (hops >= 1 ? "0.0" : "1.0") + " " + (hops >= 2 ? "0.0" : "1.0") + " " + (hops >= 3 ? "0.0" : "1.0");
        return "special_bonds lj " + w + " coul " + w + "   # remcg exclude_hops " + hops + "\n"
                + (hops > 3 ? "# note: remcg also excludes pairs up to " + hops + " bonds apart; LAMMPS special_bonds stops at 1-4 pairs\n" : "");
    }

    /** A zero pair table for every pair of bead types that no fitted pair term covers (when there are pair terms). */
    static void zeroPairTables(CgTopology top, Map<InteractionKind, List<Table>> byKind, Map<InteractionKind, List<String>> specs) {
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

    static String typesLine(CgTopology top) {
        StringBuilder sb = new StringBuilder();
        for (int t = 0; t < top.types(); t++) {
            sb.append(t + 1).append(" = ").append(top.typeName(t)).append(t + 1 < top.types() ? ", " : "");
        }
        return sb.toString();
    }

    static XYChart distributionChart(FitTerm t, TargetDistribution target, TargetDistribution model) {
        boolean pair = t.kind() == InteractionKind.PAIR;
        XYChart c = new XYChartBuilder().width(800).height(500).title(t.name() + ": target and model")
                .xAxisTitle(pair || t.kind() == InteractionKind.BOND ? "r (nm)" : "angle (rad)").yAxisTitle(pair ? "g(r)" : "probability density").build();
        style(c);
        XYSeries a = c.addSeries("target", target.x(), target.value());
        a.setMarker(SeriesMarkers.NONE);
        a.setLineColor(new Color(40, 40, 40));
        XYSeries b = c.addSeries("fitted model (validation run)", model.x(), model.value());
        b.setMarker(SeriesMarkers.NONE);
        b.setLineColor(new Color(200, 60, 40));
        return c;
    }

    static XYChart potentialChart(FitTerm t, List<double[]> thetas, int at, double temperature) {
        double kT = Engine.KB * temperature;
        XYChart c = new XYChartBuilder().width(800).height(500).title(t.name() + ": potential by simulation")
                .xAxisTitle(t.kind() == InteractionKind.PAIR || t.kind() == InteractionKind.BOND ? "r (nm)" : "angle (rad)").yAxisTitle("U / kT").build();
        style(c);
        CubicBSpline b = t.basis();
        int np = 300;
        double lo = b.lower() + (t.kind() == InteractionKind.PAIR ? 0.25 * (b.upper() - b.lower()) : 0);
        double ymin = Double.POSITIVE_INFINITY;
        for (int s = 0; s < thetas.size(); s++) {
            double[] x = new double[np];
            double[] y = new double[np];
            SplinePotential p = new SplinePotential(b, java.util.Arrays.copyOfRange(thetas.get(s), at, at + b.size()));
            for (int i = 0; i < np; i++) {
                x[i] = lo + (b.upper() - lo) * i / (np - 1);
                y[i] = p.energy(x[i]) / kT;
                ymin = Math.min(ymin, y[i]);
            }
            XYSeries ser = c.addSeries(thetas.size() == 1 ? "fitted" : s == 0 ? "start (Boltzmann inversion)" : s == thetas.size() - 1 ? "final" : "after simulation " + s, x, y);
            ser.setMarker(SeriesMarkers.NONE);
            float shade = thetas.size() == 1 ? 0 : (float) s / (thetas.size() - 1);
            ser.setLineColor(new Color(0.2f + 0.6f * (1 - shade), 0.3f * (1 - shade), 0.8f * shade));
        }
        c.getStyler().setYAxisMin(Math.floor(ymin - 0.5));
        c.getStyler().setYAxisMax(Math.max(3.0, -ymin * 3));
        return c;
    }

    static XYChart convergenceChart(List<IterativeRem.Step> steps) {
        XYChart c = new XYChartBuilder().width(800).height(500).title("convergence").xAxisTitle("simulation")
                .yAxisTitle("mean g^2 / var(g)  (1 = noise)").build();
        style(c);
        c.getStyler().setXAxisDecimalPattern("0");   // simulation numbers (XChart then keeps ticks at least 1 apart)
        c.getStyler().setYAxisLogarithmic(true);
        List<Double> x = new ArrayList<>();
        List<Double> y = new ArrayList<>();
        for (IterativeRem.Step s : steps) {
            if (Double.isFinite(s.noise()) && s.noise() > 0) {
                x.add((double) s.simulation());
                y.add(s.noise());
            }
        }
        if (x.isEmpty()) {
            x.add(0.0);
            y.add(1.0);
        }
        XYSeries ser = c.addSeries("gradient / its noise", x, y);
        ser.setMarker(SeriesMarkers.CIRCLE);
        return c;
    }

    static void style(XYChart c) {
        c.getStyler().setChartBackgroundColor(Color.WHITE);
        c.getStyler().setXAxisDecimalPattern("0.00");
        c.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideNE);
    }

    /** Writes the chart as PNG and returns it base64-encoded for the report. */
    static String png(Path file, XYChart chart) throws IOException {
        BufferedImage img = BitmapEncoder.getBufferedImage(chart);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        javax.imageio.ImageIO.write(img, "png", bytes);
        byte[] data = bytes.toByteArray();
        AtomicFiles.write(file, o -> o.write(data));
        return Base64.getEncoder().encodeToString(data);
    }

    static void report(Path file, FitConfig cfg, List<FitTerm> terms, IterativeRem.State fin, List<String> lines, List<String> images,
            double seconds, long steps, List<String> diagnostics) throws IOException {
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>remcg fit report</title><style>"
                + "body{font-family:sans-serif;max-width:1000px;margin:2em auto;color:#222}td,th{padding:3px 10px;text-align:left}"
                + "table{border-collapse:collapse}tr:nth-child(even){background:#f2f2f2}img{max-width:100%}</style></head><body>");
        h.append("<h1>remcg fit: ").append(esc(cfg.file().getFileName().toString())).append("</h1>");
        h.append("<table>");
        row(h, "temperature", cfg.temperature() + " K");
        if (cfg.method().equals("force-matching")) {
            row(h, "method", "force matching: least squares on the mapped reference forces (no iterations; see force-matching.txt)");
        } else {
            row(h, "stopped", stopReason(fin));
        }
        row(h, "model simulations", Integer.toString(fin.simulations()));
        long fitSteps = totalSteps(fin);
        if (fitSteps > 0) {
            row(h, "MD steps of the fit's simulations", String.format(Locale.ROOT, "%d (per simulation: %s)", fitSteps, stepsPerSimulation(fin)));
        }
        row(h, "MD steps in all (with the validation run)", Long.toString(steps));
        row(h, "wall time", String.format(Locale.ROOT, "%.1f s (all processes of the run; a killed one up to its last checkpoint)", seconds));
        h.append("</table><h2>Distributions of the final model</h2><table><tr><th>interaction</th><th>result</th></tr>");
        for (int q = 0; q < terms.size(); q++) {
            row(h, terms.get(q).name(), lines.get(q).substring(Math.min(lines.get(q).length(), 23)).trim());
        }
        h.append("</table>");
        if (!diagnostics.isEmpty()) {
            h.append("<h2>What the targets ask that the model cannot give</h2><ul>");
            for (String d : diagnostics) {
                h.append("<li>").append(esc(d)).append("</li>");
            }
            h.append("</ul>");
        }
        h.append("<h2>History</h2><table><tr><th>simulation</th><th>frames</th><th>|gradient|</th><th>noise ratio</th>"
                + "<th>worst interaction (ratio)</th><th>measured dS</th><th>rho</th><th>step</th><th>radius (nats)</th>"
                + "<th>predicted dS</th><th>note</th></tr>");
        for (IterativeRem.Step s : fin.history()) {
            int worst = -1;
            for (int q = 0; q < s.termNoise().length; q++) {
                worst = worst < 0 || s.termNoise()[q] > s.termNoise()[worst] ? q : worst;
            }
            String w = worst < 0 || worst >= terms.size() ? "" : String.format(Locale.ROOT, "%s (%.3g)", terms.get(worst).name(), s.termNoise()[worst]);
            h.append(String.format(Locale.ROOT, "<tr><td>%d</td><td>%d</td><td>%.4g</td><td>%.3g</td><td>%s</td><td>%.4g</td><td>%.2f</td><td>%s</td>"
                    + "<td>%.3g</td><td>%.4g</td><td>%s</td></tr>", s.simulation(), s.frames(), s.gradientNorm(), s.noise(), esc(w), s.measuredChange(),
                    s.rho(), s.verdict().name().toLowerCase(Locale.ROOT), s.radius(), s.predictedChange(), esc(s.note())));
        }
        h.append("</table><h2>Plots</h2>");
        for (String img : images) {
            h.append("<p><img src=\"data:image/png;base64,").append(img).append("\"></p>");
        }
        h.append("<p>Files: model.yaml (engine model), tables/lammps (in.tables + *.table), tables/gromacs (*.xvg), distributions/*.csv, history.csv."
                + "</p></body></html>\n");
        AtomicFiles.writeString(file, h.toString());
    }

    private static void row(StringBuilder h, String k, String v) {
        h.append("<tr><td>").append(esc(k)).append("</td><td>").append(esc(v)).append("</td></tr>");
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}

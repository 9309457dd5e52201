package org.remcg.cli;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.remcg.fit.BlockedMeasurement;
import org.remcg.fit.FitTerm;
import org.remcg.fit.TargetDistribution;
import org.remcg.fit.problem.DistributionComparison;
import org.remcg.fit.problem.FitConfig;
import org.remcg.fit.problem.FitExport;
import org.remcg.fit.problem.FitProblem;
import org.remcg.fit.problem.FitResult;
import org.remcg.model.CubicBSpline;
import org.remcg.model.ForceField;
import org.remcg.model.SplinePotential;
import org.remcg.optimize.IterativeRem;
import org.remcg.system.CgTopology;
import org.remcg.units.Units;
import org.remcg.simulate.Engine;
import org.remcg.system.InteractionKind;

/**
 * The files a fit leaves in its output directory: model.yaml, LAMMPS and GROMACS tables,
 * history.csv and distributions/*.csv (their content from core: {@link FitExport}, {@link FitResult},
 * {@link DistributionComparison}), PNG plots and a self-contained report.html. Every file is
 * written atomically.
 */
final class FitOutputs {
    private FitOutputs() {
    }

    /** One-line results per interaction, for the terminal and the report. */
    record Summary(List<String> lines, List<double[]> errors) {
    }

    /**
     * All outputs of a finished fit: model.yaml and tables ({@link FitExport}), history.csv, distributions/*.csv
     * (target against the validation run, {@link DistributionComparison}), plots and report.html.
     *
     * @param validation the measurement of the validation run
     * @param seconds    wall time of the whole run (a resumed run's earlier processes included), for the report
     * @param steps      MD steps of the whole run, the validation run included, for the report
     */
    static Summary write(Path out, FitProblem p, ForceField ff, FitResult result, BlockedMeasurement validation, double seconds, long steps,
            List<String> diagnostics) throws IOException {
        List<FitTerm> terms = p.terms();
        List<TargetDistribution> model = validation.result().distributions();
        List<double[]> modelErrors = validation.standardErrors();
        Files.createDirectories(out.resolve("distributions"));
        Files.createDirectories(out.resolve("plots"));
        FitExport.writeModel(out.resolve("model.yaml"), ff, p.topology(), result.theta());
        FitExport.writeTables(out.resolve("tables"), terms, p.topology(), p.exclusionHops(), result.theta());
        AtomicFiles.writeString(out.resolve("history.csv"), result.historyCsv());
        List<String> lines = new ArrayList<>();
        List<double[]> errors = new ArrayList<>();
        List<String> images = new ArrayList<>();
        for (int q = 0; q < terms.size(); q++) {
            FitTerm t = terms.get(q);
            TargetDistribution tg = p.targets().get(q);
            TargetDistribution md = model.get(q);
            double[] se = modelErrors == null ? null : modelErrors.get(q);
            DistributionComparison c = DistributionComparison.compare(t, tg, p.targetErrors() == null ? null : p.targetErrors().get(q), md, se);
            AtomicFiles.writeString(out.resolve("distributions").resolve(t.fileName() + ".csv"), c.csv());
            errors.add(new double[] {c.maxDiff(), c.peak()});
            lines.add(c.line(t));
            images.add(png(out.resolve("plots").resolve(t.fileName() + "-distribution.png"), distributionChart(t, tg, md)));
            images.add(png(out.resolve("plots").resolve(t.fileName() + "-potential.png"), potentialChart(t, result.thetas(), result.layout().offset(q),
                    p.temperature())));
        }
        images.add(png(out.resolve("plots").resolve("convergence.png"), convergenceChart(result.state().history())));
        report(out.resolve("report.html"), p.config(), result, lines, images, seconds, steps, diagnostics);
        return new Summary(lines, errors);
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
        double kT = Units.KB * temperature;
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

    static void report(Path file, FitConfig cfg, FitResult result, List<String> lines, List<String> images, double seconds, long steps,
            List<String> diagnostics) throws IOException {
        List<FitTerm> terms = result.terms();
        IterativeRem.State fin = result.state();
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
            row(h, "stopped", result.stopReason());
        }
        row(h, "model simulations", Integer.toString(fin.simulations()));
        long fitSteps = result.totalSteps();
        if (fitSteps > 0) {
            row(h, "MD steps of the fit's simulations", String.format(Locale.ROOT, "%d (per simulation: %s)", fitSteps, result.stepsPerSimulation()));
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

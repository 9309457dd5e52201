package org.remcg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.internal.chartpart.AxisPair;
import org.knowm.xchart.internal.chartpart.Chart;
import org.remcg.optimize.IterativeRem;

/** What a fit prints and reports: one line per simulation, the run's totals after a resume, the convergence plot's axis. */
class FitReportTest {
    @TempDir
    Path dir;

    /** A short fit of FitCliTest's system with a budget of {@code sims} simulations. */
    Path config(int sims) throws Exception {
        return FitCliTest.config(dir, "fit.yaml", "out", "", t -> t.replace("max_iterations: 4", "max_iterations: " + sims)
                .replace("steps: 2000, equilibrate: 500", "steps: 1000, equilibrate: 200"));
    }

    @Test
    void aFitStoppedByItsBudgetPrintsEachSimulationOnceAndItsReportCountsTheWholeRun() throws Exception {
        Path conf = config(2);
        CliRun r = CliRun.run("fit", conf.toString());
        assertEquals(FitCommand.NOT_CONVERGED, r.code(), r.err());
        List<String> simLines = r.out().lines().filter(l -> l.startsWith("sim ")).toList();
        assertEquals(2, simLines.size(), r.out());
        assertTrue(simLines.get(0).startsWith("sim 0:") && simLines.get(1).startsWith("sim 1:"), r.out());
        Path out = dir.resolve("out");
        long fitSteps = 0;
        List<String> history = Files.readAllLines(out.resolve("history.csv"));
        for (String row : history.subList(1, history.size())) {
            fitSteps += Long.parseLong(row.split(",")[2]);
        }
        long validation = 1000 + 200;   // the validation run: engine.equilibrate + engine.steps at the final parameters
        Header first = header(out);
        assertEquals(fitSteps + validation, first.steps(), "MD steps in all, the validation run included");
        double checkpointSeconds = org.remcg.optimize.Checkpoint.read(out.resolve("checkpoint.json")).seconds();
        assertTrue(checkpointSeconds > 0 && first.seconds() >= checkpointSeconds, first + " vs checkpoint " + checkpointSeconds);

        // --resume of the finished run: no new simulation, the outputs written again; the header still counts the whole run
        CliRun again = CliRun.run("fit", conf.toString(), "--resume");
        assertEquals(FitCommand.NOT_CONVERGED, again.code(), again.err());
        assertEquals(0, again.out().lines().filter(l -> l.startsWith("sim ")).count(), again.out());
        Header resumed = header(out);
        assertEquals(fitSteps + validation, resumed.steps(), "the resumed process ran only the validation; the header counts all");
        assertTrue(resumed.seconds() >= checkpointSeconds, "the wall time includes the first process's " + checkpointSeconds + " s: " + resumed);
    }

    record Header(long steps, double seconds) {
    }

    static Header header(Path out) throws Exception {
        String html = Files.readString(out.resolve("report.html"));
        Matcher steps = Pattern.compile("<td>MD steps in all \\(with the validation run\\)</td><td>(\\d+)</td>").matcher(html);
        Matcher secs = Pattern.compile("<td>wall time</td><td>([0-9.]+) s").matcher(html);
        assertTrue(steps.find() && secs.find(), html.substring(0, Math.min(html.length(), 2000)));
        return new Header(Long.parseLong(steps.group(1)), Double.parseDouble(secs.group(1)));
    }

    /** The convergence plot's x axis (simulation numbers) is labelled with whole numbers, each once. */
    @Test
    void convergenceAxisShowsWholeSimulationNumbers() throws Exception {
        for (int n : new int[] {1, 2, 3, 5, 13, 40, 150}) {
            List<IterativeRem.Step> steps = new ArrayList<>();
            for (int k = 0; k < n; k++) {
                steps.add(new IterativeRem.Step(k, 100, 1.0, 10.0 / (k + 1), new double[] {1}, Double.NaN, Double.NaN, Double.NaN,
                        IterativeRem.Verdict.ACCEPTED, 1, 1, 0, 1, "", 1, 1000, new int[] {0}, new double[] {1}));
            }
            XYChart c = FitOutputs.convergenceChart(steps);
            BitmapEncoder.getBufferedImage(c);   // lays the axes out
            List<String> labels = xTickLabels(c);
            assertTrue(!labels.isEmpty(), n + " simulations: no labels");
            assertEquals(labels.size(), new HashSet<>(labels).size(), n + " simulations: repeated labels " + labels);
            for (String l : labels) {
                assertTrue(l.matches("\\d+"), n + " simulations: label '" + l + "' is not a whole number: " + labels);
                assertTrue(Integer.parseInt(l) <= Math.max(1, n), n + " simulations: label " + l + " beyond the last simulation: " + labels);
            }
        }
    }

    /** The x tick labels XChart computed while painting (no public accessor: the chart's axis pair is a protected field). */
    static List<String> xTickLabels(XYChart c) throws Exception {
        Field f = Chart.class.getDeclaredField("axisPair");
        f.setAccessible(true);
        AxisPair<?, ?> pair = (AxisPair<?, ?>) f.get(c);
        return pair.getXAxis().getAxisTickCalculator().getTickLabels();
    }
}

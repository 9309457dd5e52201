package org.remcg.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.remcg.dynamics.Diffusion1D;
import org.remcg.dynamics.DynamicsExamples;
import org.remcg.dynamics.TimeSeries;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code remcg dynamics example}: one of the dynamics examples with exact references; writes table.md, table.csv and a plot. */
@Command(name = "example", mixinStandardHelpOptions = true,
        description = "Run a dynamics example with exact references and write its table (Markdown, CSV) and plot: double-well | ring | rotating.")
public final class DynamicsExampleCommand implements Callable<Integer> {
    @Parameters(index = "0", description = "double-well | ring | rotating") String name;
    @Option(names = "--ratios", split = ",", defaultValue = "1,4,16,64",
            description = "double-well: time-scale ratios D2/D1 (default ${DEFAULT-VALUE}).")
    double[] ratios;
    @Option(names = "--gammas", split = ",", defaultValue = "0,0.25,0.5,1", description = "rotating: rotation strengths (default ${DEFAULT-VALUE}).")
    double[] gammas;
    @Option(names = "--time", defaultValue = "2500", description = "Simulated time per replica (default ${DEFAULT-VALUE}).") double time;
    @Option(names = "--replicas", defaultValue = "8", description = "Independent replicas (default ${DEFAULT-VALUE}).") int replicas;
    @Mixin RunOptions.Seed seed;
    @Mixin RunOptions.OutputDirectory output;
    @Mixin Console console;

    @Override
    public Integer call() throws IOException {
        PrintWriter log = console.log();
        if (replicas < 2 || !(time > 0)) {
            throw new Main.BadInputException("--replicas must be >= 2 and --time positive");
        }
        // each replica keeps a frame every 0.01 time units (position, drift and time: at most 5 numbers in 2-D)
        Limits.memory("--time / 0.01 x --replicas: " + (long) Math.ceil(time / 0.01 * replicas) + " frames", (time / 0.01 + 1) * replicas * 5 * 8,
                "lower --time or --replicas");
        int threads = org.remcg.system.Cpus.available();
        long t0 = System.nanoTime();
        StringBuilder md = new StringBuilder();
        StringBuilder csv = new StringBuilder();
        Files.createDirectories(output.dir);
        switch (name) {
            case "double-well": {
                Diffusion1D cg = DynamicsExamples.doubleWellCg();
                md.append(DynamicsExamples.DOUBLE_WELL_HEADER).append('\n');
                csv.append("ratio,tau_fine,tau_fine_err,tau_cg,mfpt_fine,mfpt_fine_err,mfpt_cg,fit_rms,fit_err\n");
                List<DynamicsExamples.DoubleWellRow> rows = new ArrayList<>();
                for (int i = 0; i < ratios.length; i++) {
                    DynamicsExamples.DoubleWellRow r = DynamicsExamples.doubleWell(ratios[i], time, replicas, seed.value + i, threads, cg);
                    rows.add(r);
                    md.append(r.format()).append('\n');
                    csv.append(String.format(Locale.ROOT, "%g,%g,%g,%g,%g,%g,%g,%g,%g%n", r.ratio(), r.tauFine().mean(),
                            r.tauFine().standardError(), r.tauCg(), r.mfptFine().mean(), r.mfptFine().standardError(), r.mfptCg(),
                            r.fitRms(), r.fitErr()));
                    log.println(r.format());
                }
                TimeSeries.Estimate[] sim = DynamicsExamples.doubleWellCgSimulated(time, replicas, seed.value + 1000, threads);
                String simLine = String.format(Locale.ROOT, "%nCG model with b* simulated and analysed like the fine runs (frames 0.01 apart): "
                        + "tau_int = %.3f +- %.3f, MFPT = %.3f +- %.3f (estimator bias: %+.1f %% and %+.1f %% against the exact values)%n",
                        sim[0].mean(), sim[0].standardError(), sim[1].mean(), sim[1].standardError(),
                        100 * (sim[0].mean() / cg.integratedTime(y -> y) - 1), 100 * (sim[1].mean() / cg.mfpt(-1, 1) - 1));
                md.append(simLine);
                log.print(simLine);
                DynamicsPlot.doubleWell(output.dir.resolve("double-well.png"), rows);
                break;
            }
            case "ring": {
                DynamicsExamples.RingResult r = DynamicsExamples.ring(time, replicas, seed.value, threads);
                md.append(DynamicsExamples.RING_HEADER).append('\n');
                csv.append("model,kl,mfpt_in,mfpt_in_err,mfpt_out,mfpt_out_err,tau,tau_err\n");
                for (DynamicsExamples.RingRow row : r.rows()) {
                    md.append(row.format()).append('\n');
                    csv.append(String.format(Locale.ROOT, "\"%s\",%g,%g,%g,%g,%g,%g,%g%n", row.model(), row.kl(), row.mfptIn(),
                            row.mfptInErr(), row.mfptOut(), row.mfptOutErr(), row.tau(), row.tauErr()));
                }
                md.append(String.format(Locale.ROOT, "%nmean D = %.4f; max |G - F| on [-1.6, 1.6] = %.3f kT; fit: RMS(b_fit - b*) = %.3f "
                        + "(mean error bar %.3f), RMS(Sigma_fit - Sigma) = %.4f%n", r.meanDiffusion(), r.maxPotentialGap(), r.fitRms(),
                        r.fitErr(), r.sigmaRms()));
                log.print(md);
                DynamicsPlot.ring(output.dir.resolve("ring.png"), DynamicsExamples.ringReference());
                break;
            }
            case "rotating": {
                md.append(DynamicsExamples.ROTATION_HEADER).append('\n');
                csv.append("gamma,mean_curl,mean_curl_err,exact,z,fit_rms,fit_err\n");
                for (int i = 0; i < gammas.length; i++) {
                    DynamicsExamples.RotationResult r = DynamicsExamples.rotating(gammas[i], time, replicas, seed.value + i, threads);
                    md.append(r.format()).append('\n');
                    csv.append(String.format(Locale.ROOT, "%g,%g,%g,%g,%g,%g,%g%n", r.gamma(), r.meanCurl(), r.meanCurlErr(),
                            r.exactMeanCurl(), r.z(), r.fitRms(), r.fitErr()));
                    log.println(r.format());
                }
                break;
            }
            default:
                throw new Main.BadInputException("unknown example '" + name + "'; known: double-well, ring, rotating");
        }
        AtomicFiles.writeString(output.dir.resolve("table.md"), md.toString());
        AtomicFiles.writeString(output.dir.resolve("table.csv"), csv.toString());
        log.printf(Locale.ROOT, "wrote %s and %s (%.1f s)%n", output.dir.resolve("table.md"), output.dir.resolve("table.csv"), (System.nanoTime() - t0) / 1e9);
        return 0;
    }
}

package org.remcg.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.remcg.density.DensityBenchmark;
import org.remcg.density.DensityFit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code remcg bench density}: timings of reading samples and fitting a B-spline density. */
@Command(name = "density", mixinStandardHelpOptions = true,
        description = "Time reading N samples from a text file and fitting K B-spline features (read + features + Newton fit).")
public final class BenchDensityCommand implements Callable<Integer> {
    @Option(names = "--samples", defaultValue = "1000000", description = "Number of samples (default ${DEFAULT-VALUE}).")
    int samples;

    @picocli.CommandLine.Mixin
    BenchFitOptions sizes;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Limits.range("--samples", samples, 100, 100_000_000);
        sizes.check();
        int features = sizes.features;
        int repeat = sizes.repeat;
        Limits.memory("--samples " + samples, samples * 8.0 * 3, "use fewer --samples");
        Path dir = Files.createTempDirectory("remcg-bench");
        Path file = dir.resolve("samples.txt");
        try {
            DensityBenchmark.writeSamples(file, samples, 1);
            var out = spec.commandLine().getOut();
            out.printf(Locale.ROOT, "density fit benchmark: %d samples (%.1f MB text), bspline:%d, %d cores, java %s%n",
                    samples, Files.size(file) / 1e6, features, org.remcg.system.Cpus.available(), System.getProperty("java.version"));
            DensityFit.Result r = DensityBenchmark.run(file, features);   // warm-up
            BenchCommand.resetPeaks();
            double[] t = new double[repeat];
            for (int i = 0; i < repeat; i++) {
                long t0 = System.nanoTime();
                r = DensityBenchmark.run(file, features);
                t[i] = (System.nanoTime() - t0) * 1e-9;
            }
            Arrays.sort(t);
            out.printf(Locale.ROOT, "wall time per fit: min %.3f s, median %.3f s, max %.3f s over %d runs (%d Newton iterations, |grad| %.1e)%n",
                    t[0], t[repeat / 2], t[repeat - 1], repeat, r.optimization().iterations(), r.optimization().gradientNorm());
            out.printf(Locale.ROOT, "peak heap in use during the timed runs: %.1f MB (the samples alone would be %.1f MB as doubles)%n",
                    BenchCommand.peakHeap() / 1e6, samples * 8 / 1e6);
            return 0;
        } finally {
            Files.deleteIfExists(file);
            Files.deleteIfExists(dir);
        }
    }
}

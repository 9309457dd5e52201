package org.remcg.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.remcg.density.DensityBenchmark;
import org.remcg.density.DensityFit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code remcg bench density}: timings of reading samples and fitting a B-spline density. */
@Command(name = "density", mixinStandardHelpOptions = true,
        description = "Time reading N samples from a text file and fitting K B-spline features (read + features + Newton fit).")
public final class BenchDensityCommand extends BenchmarkCommand {
    @Option(names = "--samples", defaultValue = "1000000", description = "Number of samples (default ${DEFAULT-VALUE}).") int samples;
    @Mixin BenchFitOptions sizes;

    @Override
    public Integer call() throws Exception {
        Limits.range("--samples", samples, 100, 100_000_000);
        sizes.check();
        Limits.memory("--samples " + samples, samples * 8.0 * 3, "use fewer --samples");
        Path dir = Files.createTempDirectory("remcg-bench");
        Path file = dir.resolve("samples.txt");
        try {
            DensityBenchmark.writeSamples(file, samples, 1);
            var out = out();
            out.printf(Locale.ROOT, "density fit benchmark: %d samples (%.1f MB text), bspline:%d, %s%n",
                    samples, Files.size(file) / 1e6, sizes.features, machine());
            DensityBenchmark.run(file, sizes.features);   // warm-up
            resetPeaks();
            Timings<DensityFit.Result> t = Timings.of(sizes.repeat, k -> DensityBenchmark.run(file, sizes.features));
            out.printf(Locale.ROOT, "wall time per fit: %s (%d Newton iterations, |grad| %.1e)%n",
                    t.spread("%.3f"), t.last().optimization().iterations(), t.last().optimization().gradientNorm());
            out.printf(Locale.ROOT, "peak heap in use during the timed runs: %.1f MB (the samples alone would be %.1f MB as doubles)%n",
                    peakHeap() / 1e6, samples * 8 / 1e6);
            return 0;
        } finally {
            Files.deleteIfExists(file);
            Files.deleteIfExists(dir);
        }
    }
}

package org.remcg.cli;

import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code remcg bench drift}: timings of least-squares drift fits on a simulated double-well trajectory. */
@Command(name = "drift", mixinStandardHelpOptions = true,
        description = "Time least-squares drift fits (normal equations, Sigma fit, jackknife) on N frames of a mapped double-well trajectory.")
public final class BenchDriftCommand extends BenchmarkCommand {
    @Option(names = "--frames", defaultValue = "1000000", description = "Number of frames (default ${DEFAULT-VALUE}).") int frames;
    @Mixin BenchFitOptions sizes;

    @Override
    public Integer call() throws Exception {
        Limits.range("--frames", frames, 100, Integer.MAX_VALUE);
        sizes.check();
        // the mapped trajectory with its drift, and a row of features per frame while fitting
        Limits.memory("--frames " + frames, frames * 8.0 * (8 + sizes.features), "use fewer --frames");
        var out = out();
        long t0 = System.nanoTime();
        org.remcg.dynamics.CgData data = org.remcg.dynamics.DriftBenchmark.data(frames, 1);
        out.printf(Locale.ROOT, "drift fit benchmark: %d frames (simulated in %.2f s), bspline:%d, %s%n", data.frames(),
                (System.nanoTime() - t0) * 1e-9, sizes.features, machine());
        for (boolean inc : new boolean[] {false, true}) {
            org.remcg.dynamics.DriftBenchmark.fit(data, sizes.features, inc);   // warm-up
            Timings<?> t = Timings.of(sizes.repeat, k -> org.remcg.dynamics.DriftBenchmark.fit(data, sizes.features, inc));
            out.printf(Locale.ROOT, "%-38s %s%n", inc ? "from increments (lags 1, 2; Richardson):" : "from the exact drift:", t.spread("%.3f"));
        }
        return 0;
    }
}

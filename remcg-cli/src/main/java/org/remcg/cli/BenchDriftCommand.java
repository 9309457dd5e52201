package org.remcg.cli;

import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code remcg bench drift}: timings of least-squares drift fits on a simulated double-well trajectory. */
@Command(name = "drift", mixinStandardHelpOptions = true,
        description = "Time least-squares drift fits (normal equations, Sigma fit, jackknife) on N frames of a mapped double-well trajectory.")
public final class BenchDriftCommand implements Callable<Integer> {
    @Option(names = "--frames", defaultValue = "1000000", description = "Number of frames (default ${DEFAULT-VALUE}).")
    int frames;

    @picocli.CommandLine.Mixin
    BenchFitOptions sizes;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        Limits.range("--frames", frames, 100, Integer.MAX_VALUE);
        sizes.check();
        int features = sizes.features;
        int repeat = sizes.repeat;
        // the mapped trajectory with its drift, and a row of features per frame while fitting
        Limits.memory("--frames " + frames, frames * 8.0 * (8 + features), "use fewer --frames");
        var out = spec.commandLine().getOut();
        long t0 = System.nanoTime();
        org.remcg.dynamics.CgData data = org.remcg.dynamics.DriftBenchmark.data(frames, 1);
        out.printf(Locale.ROOT, "drift fit benchmark: %d frames (simulated in %.2f s), bspline:%d, %d cores, java %s%n", data.frames(),
                (System.nanoTime() - t0) * 1e-9, features, org.remcg.system.Cpus.available(), System.getProperty("java.version"));
        for (boolean inc : new boolean[] {false, true}) {
            org.remcg.dynamics.DriftBenchmark.fit(data, features, inc);   // warm-up
            double[] t = new double[repeat];
            for (int i = 0; i < repeat; i++) {
                long s = System.nanoTime();
                org.remcg.dynamics.DriftBenchmark.fit(data, features, inc);
                t[i] = (System.nanoTime() - s) * 1e-9;
            }
            Arrays.sort(t);
            out.printf(Locale.ROOT, "%-38s min %.3f s, median %.3f s, max %.3f s over %d runs%n",
                    inc ? "from increments (lags 1, 2; Richardson):" : "from the exact drift:", t[0], t[repeat / 2], t[repeat - 1], repeat);
        }
        return 0;
    }
}

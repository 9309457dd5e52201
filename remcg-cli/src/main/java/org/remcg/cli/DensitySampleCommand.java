package org.remcg.cli;

import java.io.IOException;
import org.remcg.io.DataFormatException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import org.remcg.density.DensityModels;
import org.remcg.density.ExactSampler;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code remcg density sample}: exact, independent samples of a fitted density ({@link ExactSampler}). */
@Command(name = "sample", mixinStandardHelpOptions = true,
        description = "Draw exact, independent samples from a fitted density (result.json of 'density fit').")
public final class DensitySampleCommand implements Callable<Integer> {
    @Mixin DensityCommand.FittedModel model;
    @Option(names = {"-n", "--count"}, required = true, description = "Number of samples.") int count;
    @Mixin RunOptions.Seed seed;
    @Option(names = "--out", required = true, description = "Output file: one sample per line.") Path out;

    @Override
    public Integer call() throws IOException, DataFormatException {
        if (count < 1) {
            throw new Main.BadInputException("--count must be positive, got " + count);
        }
        DensityModels.Fitted m = model.load();
        boolean twoD = m.model().domain().dimension() == 2;
        ExactSampler sampler = new ExactSampler(m.model(), m.theta());
        SplittableRandom rng = new SplittableRandom(seed.value);
        AtomicFiles.write(out, o -> {
            PrintWriter w = new PrintWriter(new java.io.OutputStreamWriter(o, java.nio.charset.StandardCharsets.UTF_8));
            w.println("# " + count + " exact samples of " + model.file + " (seed " + seed.value + ")");
            int chunk = 4096;
            double[] xs = new double[chunk];
            double[] ys = twoD ? new double[chunk] : null;
            for (int done = 0; done < count; done += chunk) {
                int k = Math.min(chunk, count - done);
                sampler.sample(rng, k, xs, ys);
                for (int i = 0; i < k; i++) {
                    w.println(twoD ? xs[i] + " " + ys[i] : Double.toString(xs[i]));
                }
            }
            w.flush();
        });
        return 0;
    }
}

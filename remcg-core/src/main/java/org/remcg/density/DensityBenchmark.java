package org.remcg.density;

import org.remcg.io.DataFormatException;
import org.remcg.model.Features;
import org.remcg.observe.FeatureBlocks;
import org.remcg.optimize.NewtonOptimizer;
import org.remcg.optimize.Regularizer;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The workload of the density benchmark: stream a sample file, accumulate B-spline features and
 * fit, exactly as {@code remcg density fit} does without cross-validation. Shared by
 * {@code remcg bench density} and the JMH benchmark so both measure the same code.
 */
public final class DensityBenchmark {
    public static final Domain DOMAIN = Domain.interval(-2.5, 2.5);

    private DensityBenchmark() {
    }

    /** Writes n samples of a two-Gaussian mixture (centres +-1, width 0.35, clipped to the domain). */
    public static void writeSamples(Path file, int n, long seed) throws IOException {
        SplittableRandom rng = new SplittableRandom(seed);
        try (BufferedWriter w = Files.newBufferedWriter(file)) {
            w.write("# remcg density benchmark: " + n + " samples, seed " + seed + "\n");
            StringBuilder sb = new StringBuilder(32);
            for (int i = 0; i < n; i++) {
                double x;
                do {
                    x = (rng.nextBoolean() ? 1 : -1) + 0.35 * rng.nextGaussian();
                } while (x < DOMAIN.xmin() || x > DOMAIN.xmax());
                sb.setLength(0);
                sb.append(x).append('\n');
                w.write(sb.toString());
            }
        }
    }

    /** Reads the file and fits bspline:features; returns the fit. */
    public static DensityFit.Result run(Path file, int features) throws IOException, DataFormatException {
        Features f = DensityModels.features(DOMAIN, "bspline:" + features);
        DensityData.Summary s = DensityData.read(file, null, DOMAIN, List.of(f), null);
        FeatureBlocks b = s.blocks().get(0);
        return DensityFit.fit(new ExpFamilyDensity(DOMAIN, f), b.mean(), b.count(), Regularizer.none(), new NewtonOptimizer());
    }
}

package org.remcg.density;

import org.remcg.io.DataFormatException;
import org.remcg.io.SampleReader;
import org.remcg.model.Features;
import org.remcg.observe.FeatureBlocks;
import org.remcg.observe.Histogram;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One streaming pass over a data file: checks every point against the domain (naming the file
 * and line of a bad one), wraps angles, and accumulates block sums of the features of every
 * candidate model (and optionally a histogram). Memory does not depend on the number of points.
 */
public final class DensityData {

    /** What the pass found. */
    public record Summary(List<FeatureBlocks> blocks, long count, double xmin, double xmax, double ymin, double ymax) {
        /** True when all points coincide (no spread: a maximum-likelihood density does not exist). */
        public boolean degenerate() {
            return xmin == xmax && (Double.isNaN(ymin) || ymin == ymax);
        }
    }

    private DensityData() {
    }

    public static Summary read(Path file, String columns, Domain domain, List<Features> featureSets, Histogram histogram)
            throws IOException, DataFormatException {
        int dim = domain.dimension();
        List<FeatureBlocks> blocks = new ArrayList<>();
        int maxNz = 0;
        for (Features f : featureSets) {
            if (f.dimension() != dim) {
                throw new IllegalArgumentException("features are " + f.dimension() + "-D but the domain is " + dim + "-D");
            }
            blocks.add(new FeatureBlocks(f.size()));
            maxNz = Math.max(maxNz, f.maxNonZero());
        }
        int[] idx = new int[maxNz];
        double[] val = new double[maxNz];
        double[] range = {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
        long n = SampleReader.read(file, dim, columns, (xs, ys, lines, count) -> {
            for (int p = 0; p < count; p++) {
                double x = domain.wrap(xs[p]);
                double y = ys == null ? 0 : ys[p];
                if (!domain.contains(x, y)) {
                    throw new DataFormatException(file, lines[p], (dim == 1 ? "value " + xs[p] : "point (" + xs[p] + ", " + y + ")")
                            + " lies outside the domain " + domain.spec());
                }
                range[0] = Math.min(range[0], x);
                range[1] = Math.max(range[1], x);
                range[2] = Math.min(range[2], y);
                range[3] = Math.max(range[3], y);
                for (int s = 0; s < featureSets.size(); s++) {
                    int k = featureSets.get(s).evaluate(x, y, idx, val);
                    blocks.get(s).add(k, idx, val);
                }
                if (histogram != null) {
                    histogram.add(x, y);
                }
            }
        });
        return new Summary(blocks, n, range[0], range[1], dim == 2 ? range[2] : Double.NaN, dim == 2 ? range[3] : Double.NaN);
    }
}

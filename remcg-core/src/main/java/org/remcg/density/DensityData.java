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
 * candidate model (and optionally a histogram). Memory does not grow with the number of points:
 * the chunks share about 2048 blocks of feature sums between them (only a small histogram is kept
 * per 2 MiB chunk).
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

    /** Bytes per chunk of the parallel read: fixed, so results never depend on the thread count. */
    static final long CHUNK_BYTES = 2L << 20;

    /**
     * Reads the file in fixed 2 MiB chunks on all cores; every chunk accumulates its own block sums
     * and histogram, merged afterwards in file order, so the result depends only on the file.
     */
    public static Summary read(Path file, String columns, Domain domain, List<Features> featureSets, Histogram histogram)
            throws IOException, DataFormatException {
        return read(file, columns, domain, featureSets, histogram, org.remcg.system.Cpus.available());
    }

    public static Summary read(Path file, String columns, Domain domain, List<Features> featureSets, Histogram histogram, int threads)
            throws IOException, DataFormatException {
        int dim = domain.dimension();
        for (Features f : featureSets) {
            if (f.dimension() != dim) {
                throw new IllegalArgumentException("features are " + f.dimension() + "-D but the domain is " + dim + "-D");
            }
        }
        // each chunk keeps a share of the final ~1024-2048 blocks, so memory stays bounded however
        // many chunks the file has
        long size = java.nio.file.Files.isRegularFile(file) ? java.nio.file.Files.size(file) : 0;
        long nChunks = Math.max(1, (size + CHUNK_BYTES - 1) / CHUNK_BYTES);
        int perChunk = (int) Math.max(4, FeatureBlocks.DEFAULT_MIN_BLOCKS / nChunks);
        List<Chunk> chunks = SampleReader.readChunks(file, dim, columns, CHUNK_BYTES, threads,
                c -> new Chunk(file, domain, featureSets, perChunk, histogram == null ? null : histogram.emptyCopy()));
        List<FeatureBlocks> blocks = new ArrayList<>();
        for (Features f : featureSets) {
            blocks.add(new FeatureBlocks(f.size()));
        }
        double[] range = {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
        long n = 0;
        for (Chunk c : chunks) {
            if (c.count == 0) {
                continue;
            }
            n += c.count;
            for (int s = 0; s < blocks.size(); s++) {
                blocks.get(s).append(c.blocks.get(s));
            }
            if (histogram != null) {
                histogram.add(c.histogram);
            }
            range[0] = Math.min(range[0], c.range[0]);
            range[1] = Math.max(range[1], c.range[1]);
            range[2] = Math.min(range[2], c.range[2]);
            range[3] = Math.max(range[3], c.range[3]);
        }
        return new Summary(blocks, n, range[0], range[1], dim == 2 ? range[2] : Double.NaN, dim == 2 ? range[3] : Double.NaN);
    }

    /** What one chunk of the file contributes; filled by the thread that parses the chunk. */
    private static final class Chunk implements SampleReader.Sink {
        private final Path file;
        private final Domain domain;
        private final List<Features> featureSets;
        private final List<FeatureBlocks> blocks = new ArrayList<>();
        private final Histogram histogram;
        private final double[] range = {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
        private final int[] idx;
        private final double[] val;
        private long count;

        Chunk(Path file, Domain domain, List<Features> featureSets, int minBlocks, Histogram histogram) {
            this.file = file;
            this.domain = domain;
            this.featureSets = featureSets;
            this.histogram = histogram;
            int maxNz = 1;
            for (Features f : featureSets) {
                blocks.add(new FeatureBlocks(f.size(), minBlocks));
                maxNz = Math.max(maxNz, f.maxNonZero());
            }
            this.idx = new int[maxNz];
            this.val = new double[maxNz];
        }

        @Override
        public void accept(double[] xs, double[] ys, long[] lines, int n) throws DataFormatException {
            int dim = domain.dimension();
            for (int p = 0; p < n; p++) {
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
            count += n;
        }
    }
}

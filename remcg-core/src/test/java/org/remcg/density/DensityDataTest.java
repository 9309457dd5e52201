package org.remcg.density;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.remcg.io.DataFormatException;
import org.remcg.model.Features;
import org.remcg.observe.FeatureBlocks;
import org.remcg.observe.Histogram;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DensityDataTest {
    @TempDir
    Path dir;

    @Test
    void parallelChunksGiveTheSameSummaryForAnyThreadCount() throws Exception {
        Path file = dir.resolve("many.txt");
        DensityBenchmark.writeSamples(file, 300_000, 5);   // ~5.8 MB: three 2 MiB chunks
        assertTrue(Files.size(file) > 2 * DensityData.CHUNK_BYTES);
        Features f = DensityModels.features(DensityBenchmark.DOMAIN, "bspline:30");
        Features g = DensityModels.features(DensityBenchmark.DOMAIN, "legendre:4");
        Histogram h1 = new Histogram(-2.5, 2.5, 50);
        Histogram h2 = new Histogram(-2.5, 2.5, 50);
        DensityData.Summary one = DensityData.read(file, null, DensityBenchmark.DOMAIN, List.of(f, g), h1, 1);
        DensityData.Summary two = DensityData.read(file, null, DensityBenchmark.DOMAIN, List.of(f, g), h2, 2);
        assertEquals(300_000, one.count());
        assertEquals(one.count(), two.count());
        for (int s = 0; s < 2; s++) {
            FeatureBlocks a = one.blocks().get(s);
            FeatureBlocks b = two.blocks().get(s);
            assertArrayEquals(a.mean(), b.mean(), 0.0, "bit-identical means");
            assertArrayEquals(a.standardErrors(), b.standardErrors(), 0.0);
            assertEquals(a.blocks(), b.blocks());
            assertTrue(a.blocks() >= 512 && a.blocks() <= 2 * FeatureBlocks.DEFAULT_MIN_BLOCKS, "blocks " + a.blocks());
        }
        for (int i = 0; i < 50; i++) {
            assertEquals(h1.count(i, 0), h2.count(i, 0));
        }
        assertEquals(300_000, h1.total());
        // the mean agrees with a plain sequential sum over the file to rounding
        double[] plain = new double[f.size()];
        int[] idx = new int[4];
        double[] val = new double[4];
        long n = 0;
        for (String line : Files.readAllLines(file)) {
            if (line.startsWith("#")) {
                continue;
            }
            int k = f.evaluate(Double.parseDouble(line), 0, idx, val);
            for (int j = 0; j < k; j++) {
                plain[idx[j]] += val[j];
            }
            n++;
        }
        for (int i = 0; i < plain.length; i++) {
            assertEquals(plain[i] / n, one.blocks().get(0).mean()[i], 1e-12);
        }
    }

    @Test
    void aPointOutsideTheDomainInALateChunkNamesItsLine() throws Exception {
        Path file = dir.resolve("late.txt");
        DensityBenchmark.writeSamples(file, 200_000, 6);
        Files.writeString(file, "7.5\n", java.nio.file.StandardOpenOption.APPEND);
        long lines = Files.readAllLines(file).size();
        Features f = DensityModels.features(DensityBenchmark.DOMAIN, "bspline:10");
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> DensityData.read(file, null, DensityBenchmark.DOMAIN, List.of(f), null, 2));
        assertEquals(lines, e.line());
        assertTrue(e.getMessage().contains("value 7.5 lies outside the domain"), e.getMessage());
    }
}

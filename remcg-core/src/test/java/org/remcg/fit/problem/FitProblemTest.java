package org.remcg.fit.problem;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.remcg.fit.DistributionTargets;
import org.remcg.fit.RemFit;
import org.remcg.optimize.IterativeRem;

/**
 * A fit problem built from a configuration with target files (the bundled SPC/E g(r) on 0.01 nm bins and its CG start
 * configuration): the layout, the targets and what follows from the configuration, and the checks that refuse what a
 * fit cannot use, each naming the configuration.
 */
class FitProblemTest {
    static final Path SPCE = Path.of("..", "examples", "spce-water").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    Path config(String pair) throws Exception {
        Path c = dir.resolve("fit.yaml");
        Files.writeString(c, "temperature: 300\n"
                + "system: {configuration: " + SPCE.resolve("targets/cg-start.gro") + ", masses: {W: 18.0154}}\n"
                + "interactions:\n  - " + pair + "\n"
                + "engine: {steps: 2000, sample_every: 20, threads: 1}\n"
                + "optimizer: {max_iterations: 7, trust_radius: 3}\n"
                + "regularization: {roughness: 0.5}\n");
        return c;
    }

    static String pair(double cutoff, double min, int knots) {
        return "{type: pair, beads: [W, W], cutoff: " + cutoff + ", target: " + SPCE.resolve("targets/rdf-W-W.csv")
                + ", basis: {kind: bspline, knots: " + knots + ", min: " + min + ", max: " + cutoff + "}}";
    }

    @Test
    void aTargetFileWithErrorsGivesItsMeansVariancesAndBinErrors() throws Exception {
        // the bundled g(r) with a third column: errors of 2 % of g plus 0.005
        Path withErrors = dir.resolve("rdf-se.csv");
        StringBuilder sb = new StringBuilder();
        for (String line : Files.readAllLines(SPCE.resolve("targets/rdf-W-W.csv"))) {
            String[] c = line.split(",");   // r, g and (the bundled file's own) se: the test writes its own se after r and g
            sb.append(c[0]).append(',').append(c[1]).append(',')
                    .append(c[0].equals("r") ? "se_W-W" : String.valueOf(0.02 * Double.parseDouble(c[1]) + 0.005)).append('\n');
        }
        Files.writeString(withErrors, sb);
        String pair = "{type: pair, beads: [W, W], cutoff: 0.9, target: " + withErrors + ", error_column: 3, basis: {kind: bspline, knots: 30, min: 0.2, max: 0.9}}";
        FitProblem p = FitProblem.build(FitConfig.read(config(pair)), s -> { }, w -> { });
        double pairsPerVolume = 510 * 509 / 2.0 / p.box().volume();
        double[] var = DistributionTargets.pairVariance(p.terms().get(0).basis(), p.terms().get(0).target(), 0.9, pairsPerVolume);
        assertArrayEquals(var, p.targetVariance(), 0);
        double[] mean = p.targetMean();
        for (int k = 5; k < 30; k++) {
            // a feature averages ~10 bins (4 knot spacings of 0.024 nm over 0.01 nm bins), each known to 2-3 %
            double rel = Math.sqrt(var[k]) / mean[k];
            assertTrue(rel > 0.002 && rel < 0.03, "relative error of feature " + k + ": " + rel);
        }
        double[] se = p.targetErrors().get(0);
        assertEquals(p.targets().get(0).bins(), se.length, "one error per comparison bin (those that end before the cutoff)");
        assertEquals(90, se.length);
        assertEquals(0.02 * p.targets().get(0).value()[40] + 0.005, se[40], 1e-12);
    }

    @Test
    void targetFilesGiveTheFeatureMeansOfTheirHistogram() throws Exception {
        List<String> info = new ArrayList<>();
        FitProblem p = FitProblem.build(FitConfig.read(config(pair(0.9, 0.2, 30))), info::add, w -> { });
        assertEquals(510, p.topology().size());
        assertEquals(1, p.layout().count());
        assertEquals("pair W-W", p.layout().block(0).name());
        assertEquals(30, p.layout().size());
        assertEquals(0, p.referenceFrames());
        assertNull(p.targetErrors(), "target files: no reference blocks");
        assertArrayEquals(new double[30], p.targetVariance(), "target files are exact");
        // the means are the g(r) file's integrals against the basis, at the start configuration's pair density
        double pairsPerVolume = 510 * 509 / 2.0 / p.box().volume();
        double[] expected = DistributionTargets.pair(p.terms().get(0).basis(), p.terms().get(0).target(), 0.9, pairsPerVolume);
        assertArrayEquals(expected, p.targetMean(), 1e-12);
        // what follows from the configuration
        IterativeRem.Options o = p.loopOptions();
        assertEquals(7, o.maxSimulations());
        assertEquals(3, o.trustRadius(), 0);
        assertEquals(1 / p.kT(), o.beta(), 1e-12);
        assertEquals(0.5, p.regularizer().roughness(), 0);
        RemFit.Start s = p.start(info::add);
        assertEquals(30, s.theta().length);
        assertEquals(p.layout(), s.layout());
        assertTrue(info.stream().anyMatch(l -> l.startsWith("start: HNC")), info.toString());
        assertEquals(p.fingerprint(), FitProblem.build(FitConfig.read(config(pair(0.9, 0.2, 30))), l -> { }, w -> { }).fingerprint());
    }

    @Test
    void whatAFitCannotUseIsRefusedNamingTheConfiguration() throws Exception {
        // a cutoff whose neighbour list reaches beyond half of the 2.5 nm box
        FitInputException far = assertThrows(FitInputException.class, () -> FitProblem.build(FitConfig.read(config(pair(1.2, 0.2, 30))), l -> { }, w -> { }));
        assertTrue(far.getMessage().contains("fit.yaml") && far.getMessage().contains("half the box"), far.getMessage());
        // a basis starting beyond the first peak: target weight outside the basis range
        FitInputException support = assertThrows(FitInputException.class,
                () -> FitProblem.build(FitConfig.read(config(pair(0.9, 0.3, 30))), l -> { }, w -> { }));
        assertTrue(support.getMessage().contains("outside the basis range"), support.getMessage());
        // a bead type the system does not have
        FitInputException type = assertThrows(FitInputException.class, () -> FitProblem.build(FitConfig.read(config(
                pair(0.9, 0.2, 30).replace("[W, W]", "[W, X]"))), l -> { }, w -> { }));
        assertTrue(type.getMessage().contains("bead type X"), type.getMessage());
    }
}

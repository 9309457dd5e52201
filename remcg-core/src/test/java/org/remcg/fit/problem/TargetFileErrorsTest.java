package org.remcg.fit.problem;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The errors that {@code remcg rdf} writes beside a target g(r), propagated to the target feature averages, against
 * what the fit measures from blocks of the same trajectory: the bundled methanol-water mixture (141 frames), once with
 * the trajectory as reference and once with its RDF files (targets/, from make-targets.sh) and their error column.
 */
class TargetFileErrorsTest {
    static final Path MW = Path.of("..", "examples", "methanol-water").toAbsolutePath().normalize();

    /**
     * Each variance is a block estimate from 9-10 blocks (relative standard deviation sqrt(2 / 9) = 0.47), so one
     * coefficient's ratio of the two scatters by a factor of about 2 either way, and only their geometric mean over an
     * interaction is tested. Neighbouring coefficients share bins (a cubic B-spline spans 4 knot intervals), so of ~60
     * coefficients per interaction some 15 are independent: the mean log ratio then has a standard deviation of about
     * 0.65 / sqrt(15) = 0.17, and 0.7-1.45 is about two of them. The files' errors treat bins as independent; a
     * correlation between neighbouring bins that mattered would show up as a ratio well below 1.
     */
    @Test
    void fileErrorsGiveTheVariancesTheTrajectoryGives(@TempDir Path dir) throws Exception {
        FitProblem traj = FitProblem.build(FitConfig.read(MW.resolve("remcg.yaml")), s -> { }, w -> { });
        String files = Files.readString(MW.resolve("remcg-files.yaml"))
                .replaceAll("target: (targets/rdf-[A-Z-]+\\.csv),", "target: " + MW + "/$1,")
                .replace("configuration: targets/", "configuration: " + MW + "/targets/")
                .replace("../../out/", dir + "/");
        Path cfg = dir.resolve("files.yaml");
        Files.writeString(cfg, files);
        assertTrue(files.contains("error_column: 3"), "the example reads the files' errors");
        FitProblem file = FitProblem.build(FitConfig.read(cfg), s -> { }, w -> { });
        double[] vt = traj.targetVariance();
        double[] vf = file.targetVariance();
        double[] mt = traj.targetMean();
        for (int q = 0; q < traj.layout().count(); q++) {
            int at = traj.layout().offset(q);
            int k = traj.layout().block(q).size();
            double max = Arrays.stream(mt, at, at + k).max().orElse(0);
            double logSum = 0;
            int n = 0;
            for (int j = at; j < at + k; j++) {
                if (vt[j] > 0 && vf[j] > 0 && mt[j] > 1e-3 * max) {
                    logSum += Math.log(vf[j] / vt[j]);
                    n++;
                }
            }
            double ratio = Math.exp(logSum / n);
            String name = traj.layout().block(q).name();
            System.out.printf(Locale.ROOT, "%s: variance of the target averages from the file's errors / from the trajectory's blocks: geometric mean %.3f "
                    + "over %d coefficients%n", name, ratio, n);
            assertTrue(n > 40, name + ": coefficients with data " + n);
            assertTrue(ratio > 0.7 && ratio < 1.45, name + ": ratio " + ratio);
            assertTrue(file.targetErrors().get(q) != null, name + ": the file's bin errors are the target's");
        }
    }
}

package org.remcg.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.remcg.cli.CliRun.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DensityCliTest {
    @TempDir
    Path dir;


    static final ObjectMapper JSON = new ObjectMapper();

    Path write(String name, String text) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    Path example(String name) {
        Path p = Path.of("..", "examples", "density", name);
        assertTrue(Files.exists(p), "bundled example " + p.toAbsolutePath());
        return p;
    }

    /** Runs {@code remcg density fit ARGS --out OUT}, which must succeed, and returns the result.json it wrote. */
    static JsonNode fit(Path out, String... args) throws Exception {
        String[] all = new String[args.length + 4];
        all[0] = "density";
        all[1] = "fit";
        System.arraycopy(args, 0, all, 2, args.length);
        all[all.length - 2] = "--out";
        all[all.length - 1] = out.toString();
        CliRun r = run(all);
        assertEquals(0, r.code(), r.err());
        return JSON.readTree(out.resolve("result.json").toFile());
    }

    @Test
    void fitWritesResultAndPlotWithCrossValidation() throws Exception {
        Path out = dir.resolve("dw");
        JsonNode j = fit(out, "--data", example("double-well.txt").toString(), "--domain", "interval:-2,2", "--basis", "bspline:24", "--cv", "5");
        assertEquals(j.get("features").size(), j.get("parameters").size());
        assertTrue(j.get("logZ").isNumber());
        assertTrue(j.get("train_mean_log_likelihood").asDouble() < 0);
        assertEquals(10000, j.get("samples").asLong());
        JsonNode cv = j.get("cv");
        assertTrue(cv.get("candidates").size() >= 10, "candidates: sizes x penalties");
        for (JsonNode c : cv.get("candidates")) {
            assertTrue(c.get("heldout_mean_log_likelihood").isNumber(), c.toString());
        }
        String chosen = cv.get("chosen").get("basis").asText();
        assertEquals(chosen, j.get("basis").asText());
        assertFalse(chosen.startsWith("bspline:24"), "cross-validation should not pick the largest basis here: " + chosen);
        assertTrue(j.get("optimizer").get("gradient_norm").asDouble() < 1e-10);
        assertTrue(j.get("max_abs_z").asDouble() < 1e-6, "an unpenalized converged fit matches every moment");
        assertTrue(Files.size(out.resolve("density.png")) > 10_000);
        byte[] png = Files.readAllBytes(out.resolve("density.png"));
        assertEquals((byte) 0x89, png[0]);
        assertEquals('P', png[1]);
    }

    @Test
    void fourAnglesOverfit() throws Exception {
        Path out = dir.resolve("fa");
        CliRun r = run("density", "fit", "--data", example("four-angles.txt").toString(), "--domain", "circle",
                "--basis", "cosine:2", "--out", out.toString(), "--quiet");
        assertEquals(0, r.code(), r.err());
        assertEquals("", r.out());
        JsonNode j = JSON.readTree(out.resolve("result.json").toFile());
        assertEquals("cos1", j.get("features").get(0).asText());
        assertEquals(0, j.get("parameters").get(0).asDouble(), 1e-12);
        assertTrue(j.get("parameters").get(1).asDouble() < -0.5, j.toString());
    }

    @Test
    void sampleThenRefitRecoversParametersAndScores() throws Exception {
        Path model = example("von-mises-true.json");
        Path samples = dir.resolve("vm.txt");
        CliRun s = run("density", "sample", "--model", model.toString(), "-n", "20000", "--seed", "4", "--out", samples.toString());
        assertEquals(0, s.code(), s.err());
        Path out = dir.resolve("vm");
        JsonNode j = fit(out, "--data", samples.toString(), "--domain", "circle", "--basis", "fourier:1");
        JsonNode truth = JSON.readTree(model.toFile()).get("parameters");
        for (int i = 0; i < 2; i++) {
            double z = (j.get("parameters").get(i).asDouble() - truth.get(i).asDouble()) / j.get("parameter_standard_errors").get(i).asDouble();
            assertTrue(Math.abs(z) < 3.5, "parameter " + i + " off by " + z + " standard errors");
        }
        Path held = dir.resolve("held.txt");
        assertEquals(0, run("density", "sample", "--model", model.toString(), "-n", "10000", "--seed", "99", "--out", held.toString()).code());
        Path scoreJson = dir.resolve("score.json");
        CliRun sc = run("density", "score", "--model", out.resolve("result.json").toString(), "--data", held.toString(), "--out", scoreJson.toString());
        assertEquals(0, sc.code(), sc.err());
        JsonNode score = JSON.readTree(scoreJson.toFile());
        // a well-specified fit on 20000 samples: held-out KL near zero (k-NN entropy noise ~ 0.01)
        assertEquals(0, score.get("kl_estimate").asDouble(), 0.04, score.toString());
    }

    @Test
    void twoDimensionalBox() throws Exception {
        Path pts = dir.resolve("xy.csv");
        StringBuilder sb = new StringBuilder("x,y,weight\n");
        java.util.SplittableRandom rng = new java.util.SplittableRandom(3);
        for (int i = 0; i < 5000; i++) {
            double x;
            double y;
            do {
                x = 0.5 + 0.15 * rng.nextGaussian();
                y = 0.3 * x + 0.1 * rng.nextGaussian();
            } while (x < 0 || x > 1 || y < -0.5 || y > 1);
            sb.append(x).append(',').append(y).append(",1\n");
        }
        Files.writeString(pts, sb.toString());
        Path out = dir.resolve("box");
        JsonNode j = fit(out, "--data", pts.toString(), "--column", "x,y", "--domain", "box:0,1,-0.5,1", "--basis", "legendre:2");
        assertEquals(8, j.get("features").size());
        assertTrue(j.get("optimizer").get("gradient_norm").asDouble() < 1e-10);
        // tensor B-splines: the corners hold almost no data; tied splines keep the fit finite and quick
        JsonNode js = fit(dir.resolve("box-spline"), "--data", pts.toString(), "--column", "x,y", "--domain", "box:0,1,-0.5,1", "--basis", "bspline:8");
        assertEquals(64, js.get("features").size());
        assertTrue(js.get("features_without_data").asInt() > 0, "corner splines are tied");
        assertTrue(js.get("optimizer").get("iterations").asInt() <= 15, js.get("optimizer").toString());
        assertTrue(js.get("max_abs_z").asDouble() < 1e-6);
        Path samples = dir.resolve("box-samples.txt");
        assertEquals(0, run("density", "sample", "--model", out.resolve("result.json").toString(), "-n", "200", "--out", samples.toString()).code());
        long lines = Files.readAllLines(samples).stream().filter(l -> !l.startsWith("#")).count();
        assertEquals(200, lines);
    }

    void assertBadInput(String expectedFragment, String... args) {
        CliRun r = run(args);
        assertEquals(2, r.code(), "exit code for " + String.join(" ", args) + "\n" + r.err());
        assertTrue(r.err().contains(expectedFragment), "message should mention '" + expectedFragment + "': " + r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
        assertTrue(r.err().startsWith("remcg: error: "), r.err());
    }

    @Test
    void badInputGetsOneLineErrorsAndExitCode2() throws Exception {
        Path good = write("good.txt", "0.1\n0.2\n0.5\n");
        Path out = dir.resolve("o");
        Path empty = write("empty.txt", "# nothing here\n\n");
        assertBadInput("empty.txt: no data points", "density", "fit", "--data", empty.toString(), "--domain", "interval:0,1", "--basis", "legendre:2", "--out", out.toString());
        Path text = write("text.txt", "0.1\n# comment\n0.2\nabc\n");
        assertBadInput("text.txt:4: 'abc' is not a finite number", "density", "fit", "--data", text.toString(), "--domain", "interval:0,1", "--basis", "legendre:2", "--out", out.toString());
        Path outside = write("outside.txt", "0.1\n0.2\n\n1.5\n");
        assertBadInput("outside.txt:4: value 1.5 lies outside the domain", "density", "fit", "--data", outside.toString(), "--domain", "interval:0,1", "--basis", "legendre:2", "--out", out.toString());
        assertBadInput("unknown basis 'wavelet'", "density", "fit", "--data", good.toString(), "--domain", "interval:0,1", "--basis", "wavelet:3", "--out", out.toString());
        assertBadInput("K = 2 is out of range", "density", "fit", "--data", good.toString(), "--domain", "interval:0,1", "--basis", "bspline:2", "--out", out.toString());
        assertBadInput("cannot be normalized", "density", "fit", "--data", good.toString(), "--domain", "interval:-inf,inf", "--basis", "bspline:8:0,1", "--out", out.toString());
        assertBadInput("cannot be normalized", "density", "fit", "--data", good.toString(), "--domain", "interval:-inf,inf", "--basis", "legendre:1:0,1", "--out", out.toString());
        assertBadInput("no such file", "density", "fit", "--data", dir.resolve("missing.txt").toString(), "--domain", "interval:0,1", "--basis", "legendre:2", "--out", out.toString());
        assertBadInput("not one of circle", "density", "fit", "--data", good.toString(), "--domain", "sphere", "--basis", "legendre:2", "--out", out.toString());
        Path same = write("same.txt", "0.3\n0.3\n0.3\n");
        assertBadInput("identical", "density", "fit", "--data", same.toString(), "--domain", "interval:0,1", "--basis", "legendre:2", "--out", out.toString());
        assertBadInput("Missing required option", "density", "fit", "--data", good.toString());
        Path badModel = write("bad.json", "{\"domain\": \"circle\", \"basis\": \"fourier:1\", \"parameters\": [1]}");
        assertBadInput("must be an array of 2 numbers", "density", "sample", "--model", badModel.toString(), "-n", "5", "--out", dir.resolve("s.txt").toString());
        Path fitted = dir.resolve("fitted");
        assertEquals(0, run("density", "fit", "--data", good.toString(), "--domain", "interval:0,1", "--basis", "legendre:1", "--out", fitted.toString(), "--quiet").code());
        assertBadInput("outside.txt:4: the model density is zero at 1.5", "density", "score", "--model", fitted.resolve("result.json").toString(), "--data", outside.toString());
    }
}

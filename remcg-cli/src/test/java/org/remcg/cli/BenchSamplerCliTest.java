package org.remcg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code remcg bench sampler} times the fit's own simulation for a configuration and refuses bad options. */
class BenchSamplerCliTest {
    @Test
    void timesTheConfiguredSampler(@TempDir Path dir) throws Exception {
        Path conf = dir.resolve("quick.yaml");
        String quick = Files.readString(Path.of("..", "examples", "spce-water", "quick.yaml"));
        Path example = Path.of("..", "examples", "spce-water").toAbsolutePath().normalize();
        // the example's relative paths resolved against its directory; the output in the temporary directory
        quick = quick.replaceAll("(?m)^(\\s*(?:trajectory|topology|gromacs_topology|mapping|configuration): )(?!/)(\\S+)", "$1" + example + "/$2")
                .replaceAll("(?m)^output:.*$", "output: {dir: " + dir.resolve("out") + "}");
        Files.writeString(conf, quick);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new String[] {"bench", "sampler", conf.toString(), "--repeat", "1", "--length", "0.1"}, new PrintWriter(out, true),
                new PrintWriter(err, true));
        assertEquals(0, code, err + "\n" + out);
        String s = out.toString();
        assertTrue(s.contains("sampler builtin x 1 replica(s)"), s);
        assertTrue(s.matches("(?s).*one simulation: min [0-9.]+ s, median [0-9.]+ s, max [0-9.]+ s over 1 runs \\(\\d+ MD steps each\\).*"), s);
    }

    @Test
    void badOptionsAreRefused() {
        for (String[] bad : new String[][] {{"--repeat", "0"}, {"--length", "1.5"}}) {
            StringWriter err = new StringWriter();
            String[] args = new String[bad.length + 3];
            args[0] = "bench";
            args[1] = "sampler";
            args[2] = "../examples/spce-water/quick.yaml";
            System.arraycopy(bad, 0, args, 3, bad.length);
            int code = Main.run(args, new PrintWriter(new StringWriter(), true), new PrintWriter(err, true));
            assertEquals(2, code, String.join(" ", bad) + ": " + err);
        }
    }
}

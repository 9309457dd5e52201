package org.remcg.optimize;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.remcg.io.DataFormatException;
import org.remcg.testing.RecordAssertions;

/** The checkpoint codec: a written state reads back exactly (non-finite numbers and absent fields included); other files are refused. */
class CheckpointTest {
    @TempDir
    Path dir;

    @Test
    void aStateReadsBackExactly() throws Exception {
        IterativeRem.Step step = new IterativeRem.Step(3, 120, 1.5e-3, 2.25, new double[] {1.0, Double.NaN}, -0.125, 0.01, Double.NaN,
                IterativeRem.Verdict.NOISE, 8, 2, -1e-300, 0.75, "damped (mu 0.1)", 0.5, 2500, new int[] {4, -1}, new double[] {2.5, Double.NaN});
        IterativeRem.State s = new IterativeRem.State(new double[] {0.1, -Double.MAX_VALUE}, null, new double[] {Double.POSITIVE_INFINITY},
                new double[] {1, 0, 0, 1}, null, Double.NaN, 16, 4, 1, List.of(step), null, 0.25, 33.5, true);
        Checkpoint c = new Checkpoint("abc", s, new double[] {1.25, 2.5, Math.PI}, List.of(new double[] {0, 1}, new double[] {0.1, -2}), 12.5);
        Path f = dir.resolve("checkpoint.json");
        Checkpoint.write(f, c);
        Checkpoint r = Checkpoint.read(f);
        // every component, the state's and its steps' included, to the bit (NaN and infinities too)
        RecordAssertions.assertSameComponents(c, r);
        // written again, the bytes are the same
        Path g = dir.resolve("again.json");
        Checkpoint.write(g, r);
        assertArrayEquals(Files.readAllBytes(f), Files.readAllBytes(g));
    }

    @Test
    void otherFilesAreRefusedNamingThem() throws Exception {
        Path damaged = dir.resolve("damaged.json");
        Files.writeString(damaged, "{\"format\": ");
        assertTrue(assertThrows(DataFormatException.class, () -> Checkpoint.read(damaged)).getMessage().startsWith(damaged + ": damaged checkpoint"));
        Path other = dir.resolve("other.json");
        Files.writeString(other, "{\"format\": \"something\"}");
        assertEquals(other + ": not a remcg fit checkpoint", assertThrows(DataFormatException.class, () -> Checkpoint.read(other)).getMessage());
        Path old = dir.resolve("old.json");
        Files.writeString(old, "{\"format\": \"remcg-fit-checkpoint-1\"}");
        assertTrue(assertThrows(DataFormatException.class, () -> Checkpoint.read(old)).getMessage().contains("written by another remcg version"));
    }
}

package org.remcg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@code remcg} without a command is a usage error; asking for help is not. */
class CliUsageTest {
    @Test
    void noCommandPrintsTheUsageToStandardErrorAndExits2() {
        CliRun r = CliRun.run();
        assertEquals(Main.BAD_INPUT, r.code(), r.err());
        assertEquals("", r.out(), "nothing on standard output");
        assertTrue(r.err().startsWith("remcg: error: no command given to 'remcg'"), r.err());
        assertTrue(r.err().contains("Usage: remcg") && r.err().contains("simulate"), r.err());
        // the same for the commands that group others
        for (String group : new String[] {"bench", "density", "dynamics"}) {
            CliRun g = CliRun.run(group);
            assertEquals(Main.BAD_INPUT, g.code(), group + ": " + g.err());
            assertEquals("", g.out(), group);
            assertTrue(g.err().startsWith("remcg: error: no command given to 'remcg " + group + "'") && g.err().contains("Usage: remcg " + group),
                    g.err());
        }
    }

    @Test
    void helpIsTheUsageOnStandardOutputWithExit0() {
        CliRun r = CliRun.run("--help");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("Usage: remcg") && r.out().contains("simulate"), r.out());
        assertEquals("", r.err());
    }
}

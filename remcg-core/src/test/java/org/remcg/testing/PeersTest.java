package org.remcg.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/** The peer probes: what a missing or broken peer does to a test (skip, or fail when the peers are required). */
class PeersTest {
    @TempDir
    Path dir;

    @Test
    void aMissingProgramIsReportedByName() throws Exception {
        String failure = Peers.run(dir, null, "remcg-no-such-peer-program", "-h");
        assertTrue(failure != null && failure.contains("cannot start 'remcg-no-such-peer-program -h'"), failure);
    }

    @Test
    void aFailingRunIsReportedWithItsStatusAndOutput() throws Exception {
        String failure = Peers.run(dir, null, "sh", "-c", "echo this CPU lacks an instruction; exit 132");
        assertTrue(failure != null && failure.contains("exited with status 132") && failure.contains("this CPU lacks an instruction"), failure);
        String silent = Peers.run(dir, "Loop time", "sh", "-c", "echo started");
        assertTrue(silent != null && silent.contains("did not print 'Loop time'"), silent);
        assertNull(Peers.run(dir, "Loop time", "sh", "-c", "echo Loop time of 0.1 s"));
    }

    @Test
    void aBrokenPeerSkipsTheTestAndFailsItWhenRequired() {
        String failure = Peers.result("no such peer (test)", () -> Peers.run(dir, null, "remcg-no-such-peer-program"));
        TestAbortedException skipped = assertThrows(TestAbortedException.class, () -> Peers.check("LAMMPS (lmp)", failure, false));
        assertTrue(skipped.getMessage().contains("LAMMPS (lmp) does not work here: cannot start 'remcg-no-such-peer-program'"), skipped.getMessage());
        AssertionFailedError failed = assertThrows(AssertionFailedError.class, () -> Peers.check("LAMMPS (lmp)", failure, true));
        assertTrue(failed.getMessage().contains("does not work here") && failed.getMessage().contains(Peers.REQUIRE + "=1"), failed.getMessage());
        // a working peer passes either way
        Peers.check("LAMMPS (lmp)", null, true);
        Peers.check("LAMMPS (lmp)", null, false);
    }

    @Test
    void slurmIsRequiredByItsOwnVariable() {
        AssertionFailedError failed = assertThrows(AssertionFailedError.class, () -> Peers.check("SLURM", "sinfo: no controller", true,
                Peers.REQUIRE_SLURM));
        assertTrue(failed.getMessage().contains("SLURM does not work here: sinfo: no controller") && failed.getMessage().contains("REMCG_REQUIRE_SLURM=1"),
                failed.getMessage());
        TestAbortedException skipped = assertThrows(TestAbortedException.class, () -> Peers.check("SLURM", "sinfo: no controller", false,
                Peers.REQUIRE_SLURM));
        assertTrue(skipped.getMessage().contains("set REMCG_REQUIRE_SLURM=1 to make this a failure"), skipped.getMessage());
    }

    @Test
    void theRequireFlag() {
        assertTrue(Peers.required("1"));
        assertTrue(Peers.required("true"));
        assertFalse(Peers.required(null));
        assertFalse(Peers.required(""));
        assertFalse(Peers.required("0"));
    }

    @Test
    void eachPeerIsProbedOncePerJvm() {
        AtomicInteger runs = new AtomicInteger();
        for (int i = 0; i < 3; i++) {
            assertEquals("broken", Peers.result("counted peer (test)", () -> {
                runs.incrementAndGet();
                return "broken";
            }));
        }
        assertNull(Peers.result("working peer (test)", () -> null));
        assertNull(Peers.result("working peer (test)", () -> "must not run again"));
        assertEquals(1, runs.get());
    }

    @Test
    void aMissingFileOfAPeer() {
        Path nowhere = dir.resolve("oplsaa.ff").resolve("spce.itp");
        assertEquals(nowhere + " is missing", Peers.result("GROMACS file " + nowhere, () -> Peers.fileProbe(nowhere)));
    }
}

package org.remcg.simulate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.atomic.AtomicLongArray;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class TeamTest {
    @Test
    void everyPartRunsOnceWhateverTheThreadCount() {
        for (int threads = 1; threads <= 3; threads++) {
            try (Team team = new Team(threads, 5)) {
                AtomicLongArray runs = new AtomicLongArray(5);
                for (int k = 0; k < 1000; k++) {
                    team.run(runs::incrementAndGet);
                }
                long[] got = new long[5];
                for (int p = 0; p < 5; p++) {
                    got[p] = runs.get(p);
                }
                assertArrayEquals(new long[] {1000, 1000, 1000, 1000, 1000}, got, "threads " + threads);
            }
        }
    }

    @Test
    void aFailureInAWorkerReachesTheCaller() {
        try (Team team = new Team(2, 2)) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> team.run(p -> {
                if (p == 1) {
                    throw new IllegalStateException("part " + p);
                }
            }));
            assertEquals("part 1", e.getMessage());
            // the team still works afterwards
            AtomicLongArray runs = new AtomicLongArray(2);
            team.run(runs::incrementAndGet);
            assertEquals(1, runs.get(0));
            assertEquals(1, runs.get(1));
        }
    }

    /**
     * An idle team's worker sleeps until the next task: over half a second of idleness it uses (almost) no CPU time.
     * With a timed park (a wake-up every 0.2 ms) it used 20-50 ms per second on this machine's 2 vCPUs.
     */
    @Test
    void anIdleWorkerTakesNoCpuTime() throws Exception {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        Assumptions.assumeTrue(mx.isThreadCpuTimeSupported(), "no per-thread CPU time");
        try (Team team = new Team(2, 2)) {
            long[] id = new long[1];
            team.run(p -> {
                if (p == 1) {
                    id[0] = Thread.currentThread().getId();
                }
            });
            Thread.sleep(100); // past the spinning
            long c0 = mx.getThreadCpuTime(id[0]);
            Thread.sleep(500);
            long used = mx.getThreadCpuTime(id[0]) - c0;
            assertTrue(used < 3_000_000, "idle worker used " + used / 1e6 + " ms of CPU in 0.5 s");
            // and it still wakes for the next task
            AtomicLongArray runs = new AtomicLongArray(2);
            team.run(runs::incrementAndGet);
            assertEquals(1, runs.get(1));
        }
    }
    /**
     * The caller waiting for a worker that does not get to run (descheduled on a busy machine; here it sleeps) parks
     * after a short spin instead of burning its core: over a half-second wait it uses (almost) no CPU time. It
     * spun, then yielded, for the whole wait before (about 0.5 s of CPU).
     */
    @Test
    void aCallerWaitingForAStalledWorkerTakesNoCpuTime() {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        Assumptions.assumeTrue(mx.isCurrentThreadCpuTimeSupported(), "no per-thread CPU time");
        try (Team team = new Team(2, 2)) {
            AtomicLongArray runs = new AtomicLongArray(2);
            team.run(runs::incrementAndGet);
            AtomicBoolean started = new AtomicBoolean();
            long c0 = mx.getCurrentThreadCpuTime();
            team.run(p -> {
                if (p == 1) {
                    started.set(true);
                    try {
                        Thread.sleep(500);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                } else {
                    // the worker has its part (else the caller would take it over and sleep in it itself)
                    while (!started.get()) {
                        Thread.onSpinWait();
                    }
                }
                runs.incrementAndGet(p);
            });
            long used = mx.getCurrentThreadCpuTime() - c0;
            assertEquals(2, runs.get(0));
            assertEquals(2, runs.get(1), "run() returned before the worker finished");
            assertTrue(used < 50_000_000, "the waiting caller used " + used / 1e6 + " ms of CPU in 0.5 s");
        }
    }
    /** Waits that outlast the longest spin (a descheduled partner) shorten the spin to its floor; short waits lengthen it again. */
    @Test
    void theSpinShrinksOnLongWaitsAndGrowsOnShortOnes() {
        long spin = Team.MAX_SPIN_NANOS;
        for (int k = 0; k < 10; k++) {
            spin = Team.nextSpin(spin, true, 3_000_000);
        }
        assertEquals(Team.MIN_SPIN_NANOS, spin);
        // a parked wait that the longest spin would have covered doubles it
        assertEquals(2 * Team.MIN_SPIN_NANOS, Team.nextSpin(spin, true, Team.MAX_SPIN_NANOS / 2));
        for (int k = 0; k < 20; k++) {
            spin = Team.nextSpin(spin, false, 5_000);
        }
        assertEquals(Team.MAX_SPIN_NANOS, spin);
    }
    /**
     * A worker that does not get to run (descheduled on a busy machine; here it waits at a gate) does not hold up
     * the team: the caller runs the parts nobody has taken. Before, the caller waited for the worker's parts
     * (here: for ever).
     */
    @Test
    void theCallerRunsThePartsOfAWorkerThatDoesNotRun() {
        CountDownLatch gate = new CountDownLatch(1);
        try (Team team = new Team(2, 4, gate)) {
            AtomicLongArray runs = new AtomicLongArray(4);
            boolean[] elsewhere = new boolean[1];
            // (the guard against a hang runs this in a thread of its own, which is then the caller)
            assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
                Thread caller = Thread.currentThread();
                for (int k = 0; k < 3; k++) {
                    team.run(p -> {
                        runs.incrementAndGet(p);
                        elsewhere[0] |= Thread.currentThread() != caller;
                    });
                }
            }, "the caller waited for a worker that never ran");
            assertArrayEquals(new long[] {3, 3, 3, 3}, new long[] {runs.get(0), runs.get(1), runs.get(2), runs.get(3)});
            assertTrue(!elsewhere[0], "a part ran on the gated worker");
            // once it runs, the worker takes part in the work again, and every part still runs once per task
            gate.countDown();
            for (int k = 0; k < 1000; k++) {
                team.run(runs::incrementAndGet);
            }
            assertArrayEquals(new long[] {1003, 1003, 1003, 1003}, new long[] {runs.get(0), runs.get(1), runs.get(2), runs.get(3)});
        }
    }
}

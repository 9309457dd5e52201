package org.remcg.parallel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.remcg.testing.Interrupter;

class BlockReduceTest {

    private static final int[] THREADS = {1, 2, 3, 5, 8};

    /** A few microseconds to a millisecond of busy work, so that blocks finish out of order. */
    private static void jitter(long seed) {
        long until = System.nanoTime() + new SplittableRandom(seed).nextLong(1_000, 1_000_000);
        while (System.nanoTime() < until) {
            Thread.onSpinWait();
        }
    }

    /** A block's partial sum: 1000 terms of very different sizes, so that the summation order shows in the last bits. */
    private static double partial(int block) {
        SplittableRandom r = new SplittableRandom(block);
        double s = 0;
        for (int i = 0; i < 1000; i++) {
            s += Math.scalb(r.nextDouble(), r.nextInt(-30, 30));
        }
        return s;
    }

    @Test
    void mergesInBlockOrderSoSumsAreTheSameForAnyThreadCount() throws Exception {
        int blocks = 61;
        Long reference = null;
        for (int threads : THREADS) {
            int workers = BlockReduce.workers(blocks, threads);
            double[] perWorker = new double[workers];
            double[] total = {0};
            List<Integer> order = Collections.synchronizedList(new ArrayList<>());
            Set<Thread> used = ConcurrentHashMap.newKeySet();
            new BlockReduce("test", threads).run(blocks, null, (w, k) -> {
                jitter(k * 7919L + threads);
                perWorker[w] = partial(k);
                used.add(Thread.currentThread());
            }, (w, k) -> {
                total[0] += perWorker[w];
                order.add(k);
            });
            for (int k = 0; k < blocks; k++) {
                assertEquals(k, order.get(k));
            }
            long bits = Double.doubleToLongBits(total[0]);
            if (reference == null) {
                reference = bits;
            }
            assertEquals(reference, bits, "threads " + threads);
            assertTrue(used.size() <= workers);
            if (threads == 1) {
                assertEquals(Set.of(Thread.currentThread()), used, "one thread: everything on the caller");
            } else {
                assertFalse(used.contains(Thread.currentThread()), "several threads: the caller only waits");
                for (Thread t : used) {
                    assertTrue(t.isDaemon());
                    assertFalse(t.isAlive(), "workers have ended when run returns");
                }
            }
        }
        // the reference is the plain sum in block order
        double plain = 0;
        for (int k = 0; k < blocks; k++) {
            plain += partial(k);
        }
        assertEquals(Double.doubleToLongBits(plain), reference);
    }

    @Test
    void claimsRunInBlockOrderAndTheFirstRefusalEndsTheRun() throws Exception {
        for (int threads : THREADS) {
            List<Integer> claimed = new ArrayList<>(); // under the hand-out lock
            int[] computed = new int[100];
            new BlockReduce("test", threads).run(BlockReduce.UNTIL_CLAIM_FAILS, (w, k) -> {
                if (k == 23) {
                    return false;
                }
                claimed.add(k);
                return true;
            }, (w, k) -> {
                jitter(k);
                computed[k]++;
            }, null);
            assertEquals(23, claimed.size());
            for (int k = 0; k < 100; k++) {
                assertEquals(k < 23 ? 1 : 0, computed[k], "block " + k + ", threads " + threads);
                if (k < 23) {
                    assertEquals(k, claimed.get(k));
                }
            }
        }
    }

    @Test
    void theLowestFailingBlockWinsAndLaterBlocksAreNotMerged() {
        for (int threads : THREADS) {
            for (int round = 0; round < 5; round++) {
                IOException early = new IOException("block 9");
                IllegalStateException late = new IllegalStateException("block 30");
                List<Integer> merged = Collections.synchronizedList(new ArrayList<>());
                BlockReduce job = new BlockReduce("test", threads);
                int r = round;
                IOException e = assertThrows(IOException.class, () -> job.run(50, null, (w, k) -> {
                    // the later failure usually happens first
                    jitter(k == 9 ? 2_000_000L + r : k * 31L + r);
                    if (k == 9) {
                        throw early;
                    }
                    if (k == 30) {
                        throw late;
                    }
                }, (w, k) -> merged.add(k)));
                assertSame(early, e, "threads " + threads);
                assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8), merged, "blocks before the failure are merged, none after");
                assertTrue(job.abandoned(10));
                assertFalse(job.abandoned(9));
            }
        }
    }

    @Test
    void aFailingClaimOrMergeFailsItsBlock() {
        for (int threads : THREADS) {
            IOException inClaim = new IOException("claim");
            assertSame(inClaim, assertThrows(IOException.class, () -> new BlockReduce("test", threads).run(BlockReduce.UNTIL_CLAIM_FAILS,
                    (w, k) -> {
                        if (k == 4) {
                            throw inClaim;
                        }
                        return true;
                    }, (w, k) -> jitter(k), null)));
            Error inMerge = new AssertionError("merge");
            assertSame(inMerge, assertThrows(AssertionError.class, () -> new BlockReduce("test", threads).run(20, null, (w, k) -> jitter(k),
                    (w, k) -> {
                        if (k == 6) {
                            throw inMerge;
                        }
                    })));
        }
    }

    @Test
    void interruptingTheCallerAbandonsEveryBlockAtOnce() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch busy = new CountDownLatch(2);
        AtomicBoolean sawAbandoned = new AtomicBoolean();
        List<Thread> workers = Collections.synchronizedList(new ArrayList<>());
        BlockReduce job = new BlockReduce("test", 2);
        Thread interrupter = Interrupter.interruptCallerAfter(busy::await, 20);
        try {
            assertThrows(InterruptedException.class, () -> job.forEach(10, (w, k) -> {
                workers.add(Thread.currentThread());
                busy.countDown();
                release.await(20, TimeUnit.SECONDS);
                sawAbandoned.set(job.abandoned(k));
            }));
            assertFalse(Thread.currentThread().isInterrupted(), "InterruptedException clears the status, as usual");
        } finally {
            release.countDown();
            interrupter.join();
        }
        for (Thread t : workers) {
            t.join(10_000);
            assertFalse(t.isAlive());
        }
        assertTrue(sawAbandoned.get());
        assertEquals(2, workers.size(), "no block was started after the interrupt");
    }

    @Test
    void mapAndForEachKeepIndexOrderAndThrowUnwrapped() {
        for (int threads : new int[] {0, 1, 4}) {
            assertEquals(List.of(0, 1, 4, 9, 16, 25, 36), BlockReduce.map("test", 7, threads, i -> {
                jitter(i);
                return i * i;
            }));
            IllegalArgumentException bad = new IllegalArgumentException("index 3");
            assertSame(bad, assertThrows(IllegalArgumentException.class, () -> BlockReduce.forEach("test", 7, threads, i -> {
                if (i >= 3) {
                    throw i == 3 ? bad : new IllegalStateException("later");
                }
            })));
        }
        assertEquals(List.of(), BlockReduce.map("test", 0, 4, i -> i));
    }

    @Test
    void aJobRunsOnceAndNeedsAThread() throws Exception {
        BlockReduce job = new BlockReduce("test", 2);
        job.forEach(3, (w, k) -> { });
        assertThrows(IllegalStateException.class, () -> job.forEach(3, (w, k) -> { }));
        assertThrows(IllegalArgumentException.class, () -> new BlockReduce("test", 0));
    }
}

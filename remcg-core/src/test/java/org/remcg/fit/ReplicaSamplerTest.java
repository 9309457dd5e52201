package org.remcg.fit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.remcg.model.CubicBSpline;
import org.remcg.optimize.IterativeRem;
import org.remcg.optimize.Samples;
import org.remcg.simulate.Engine;
import org.remcg.system.Box;
import org.remcg.system.CgTopology;
import org.remcg.system.InteractionKind;

/**
 * Replicas merged in replica order whatever order they finish in; a failed chain retried once when the failure was not
 * the model's; every chain waited for; replica 0 of K is the plain single-replica fit; blocks of the error estimates
 * within one replica.
 */
class ReplicaSamplerTest {

    /** A chain whose frames are a function of (replica, sim, frame); its start sleeps to scramble the finishing order. */
    static final class FakeChain implements ReplicaSampler.Chain {
        final int replica;
        final int frames;
        final int m;
        final long sleepMillis;
        int failuresLeft;
        boolean retryable;
        final AtomicInteger starts = new AtomicInteger();
        volatile boolean finished;
        double[] pos;
        double[] ended;
        final List<String> order;

        FakeChain(int replica, int frames, int m, long sleepMillis, List<String> order) {
            this.replica = replica;
            this.frames = frames;
            this.m = m;
            this.sleepMillis = sleepMillis;
            this.order = order;
            this.pos = new double[] {replica, replica, replica};
        }

        @Override
        public ReplicaSampler.Pending start(double[] theta, int sim, double length) throws ReplicaSampler.ChainFailure {
            starts.incrementAndGet();
            try {
                Thread.sleep(sleepMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            finished = true;
            if (failuresLeft > 0) {
                failuresLeft--;
                throw new ReplicaSampler.ChainFailure("replica " + replica + " died", retryable);
            }
            order.add("start " + replica);
            return sink -> {
                order.add("finish " + replica);
                double[] phi = new double[frames * m];
                for (int t = 0; t < frames; t++) {
                    for (int k = 0; k < m; k++) {
                        phi[t * m + k] = 1000 * replica + 100 * sim + t + 0.01 * k;
                    }
                }
                ended = new double[] {replica + sim, 0, 0};
                return new Samples(theta, phi, frames);
            };
        }

        @Override
        public long steps(double length) {
            return 100;
        }

        @Override
        public double[] positions() {
            return pos.clone();
        }

        @Override
        public void setPositions(double[] p) {
            pos = p.clone();
        }

        @Override
        public void verdict(boolean accepted) {
            if (accepted && ended != null) {
                pos = ended;
            }
            ended = null;
        }
    }

    static List<FakeChain> chains(int k, long[] sleeps, List<String> order) {
        List<FakeChain> c = new ArrayList<>();
        for (int r = 0; r < k; r++) {
            c.add(new FakeChain(r, 4, 2, sleeps[r], order));
        }
        return c;
    }

    @Test
    void mergedInReplicaOrderWhateverFinishesFirst() throws Exception {
        double[] theta = {0.5, 1.5};
        Samples reference = null;
        for (long[] sleeps : new long[][] {{0, 0, 0}, {300, 100, 0}, {0, 200, 50}}) {
            for (int concurrent : new int[] {1, 3}) {
                List<String> order = Collections.synchronizedList(new ArrayList<>());
                List<FakeChain> c = chains(3, sleeps, order);
                ReplicaSampler s = new ReplicaSampler(c, 3, concurrent, null);
                Samples got = s.sample(theta, 7, 1.0);
                assertEquals(3, got.chains());
                assertEquals(12, got.frames());
                assertEquals(300, s.stepsRun());
                assertEquals(300, s.steps(1.0));
                List<String> finishes = order.stream().filter(o -> o.startsWith("finish")).toList();
                assertEquals(List.of("finish 0", "finish 1", "finish 2"), finishes, "frame passes in replica order");
                if (reference == null) {
                    reference = got;
                    assertEquals(1000 * 2 + 700 + 3 + 0.01, got.phi(11, 1), 1e-12);
                    assertEquals(700 + 0.01, got.phi(0, 1), 1e-12);
                } else {
                    for (int t = 0; t < 12; t++) {
                        for (int k = 0; k < 2; k++) {
                            assertEquals(reference.phi(t, k), got.phi(t, k), "sleeps " + java.util.Arrays.toString(sleeps) + ", " + concurrent);
                        }
                    }
                }
            }
        }
    }

    @Test
    void positionsAreTheReplicasOneAfterAnother() throws Exception {
        List<FakeChain> c = chains(2, new long[2], Collections.synchronizedList(new ArrayList<>()));
        ReplicaSampler s = new ReplicaSampler(c, 3, 2, null);
        assertArrayEquals(new double[] {0, 0, 0, 1, 1, 1}, s.positions());
        s.sample(new double[] {1, 2}, 4, 1.0);
        s.verdict(false);
        assertArrayEquals(new double[] {0, 0, 0, 1, 1, 1}, s.positions(), "a rejected simulation's ends are dropped");
        s.sample(new double[] {1, 2}, 5, 1.0);
        s.verdict(true);
        assertArrayEquals(new double[] {5, 0, 0, 6, 0, 0}, s.positions(), "an accepted one's ends are the next starts");
        s.setPositions(new double[] {9, 8, 7, 6, 5, 4});
        assertArrayEquals(new double[] {6, 5, 4}, c.get(1).positions());
        assertThrows(IllegalArgumentException.class, () -> s.setPositions(new double[3]));
    }

    @Test
    void aDeadChainIsRetriedOnceAModelFailureNot() throws Exception {
        List<String> warnings = Collections.synchronizedList(new ArrayList<>());
        List<FakeChain> c = chains(2, new long[] {0, 0}, Collections.synchronizedList(new ArrayList<>()));
        c.get(1).failuresLeft = 1;
        c.get(1).retryable = true;
        Samples s = new ReplicaSampler(c, 3, 2, warnings::add).sample(new double[] {1, 2}, 0, 1.0);
        assertEquals(8, s.frames());
        assertEquals(2, c.get(1).starts.get());
        assertEquals(1, warnings.size());
        assertTrue(warnings.get(0).contains("replica 1 of simulation 0") && warnings.get(0).contains("replica 1 died"), warnings.get(0));

        c = chains(2, new long[] {0, 0}, Collections.synchronizedList(new ArrayList<>()));
        c.get(0).failuresLeft = 2;
        c.get(0).retryable = true;
        List<FakeChain> twice = c;
        IterativeRem.SamplingException e = assertThrows(IterativeRem.SamplingException.class,
                () -> new ReplicaSampler(twice, 3, 2, null).sample(new double[] {1, 2}, 0, 1.0));
        assertTrue(e.getMessage().startsWith("replica 0: ") && e.getMessage().contains("second attempt"), e.getMessage());

        // a blow-up (the program's own error) is the model's: the trust region reacts, no retry; the other replica was waited for
        c = chains(2, new long[] {0, 400}, Collections.synchronizedList(new ArrayList<>()));
        c.get(0).failuresLeft = 1;
        c.get(0).retryable = false;
        List<FakeChain> once = c;
        e = assertThrows(IterativeRem.SamplingException.class, () -> new ReplicaSampler(once, 3, 2, null).sample(new double[] {1, 2}, 0, 1.0));
        assertEquals(1, once.get(0).starts.get());
        assertTrue(once.get(1).finished, "the slower replica ended before the failure was reported");
        assertTrue(e.getMessage().contains("replica 0 died"), e.getMessage());
    }

    @Test
    void replicaSeedsAreDistinctAndReplicaZeroIsTheFitsOwn() {
        assertEquals(42, ReplicaSampler.replicaSeed(42, 0));
        java.util.Set<Long> seeds = new java.util.HashSet<>();
        for (long seed : new long[] {1, 2, 42}) {
            for (int r = 1; r < 50; r++) {
                seeds.add(ReplicaSampler.replicaSeed(seed, r));
            }
        }
        assertEquals(3 * 49, seeds.size());
    }

    @Test
    void blocksOfSeveralChainsNeverSpanTwo() {
        int m = 1;
        int per = 30;
        double[] phi = new double[2 * per];
        for (int t = 0; t < 2 * per; t++) {
            phi[t] = t < per ? 0 : 1;   // chain 0 all zeros, chain 1 all ones
        }
        Samples two = new Samples(new double[] {0}, phi, 2 * per, 2);
        double[] bm = two.blockMeans(10);
        assertEquals(10, bm.length);
        for (int j = 0; j < 10; j++) {
            assertEquals(j < 5 ? 0 : 1, bm[j], 0.0, "block " + j + " lies within one chain");
        }
        assertEquals(6, two.blockMeans(6).length / m, "3 blocks per chain");
        assertEquals(4, two.blockMeans(5).length / m, "5 blocks for 2 chains: 2 per chain");
        assertEquals(2, two.blockMeans(1).length, "at least one block per chain");
        // one chain: the plain contiguous blocks
        Samples one = new Samples(new double[] {0}, phi, 2 * per);
        assertEquals(0.5, one.blockMeans(3)[1], 0.0, "the middle third spans both halves");
        assertNull(new Samples(new double[] {0}, new double[] {1}, 1).blockMeans(10));
        assertThrows(IllegalArgumentException.class, () -> new Samples(new double[] {0}, phi, 59, 2));
    }

    /**
     * Built-in replicas: replica 0 of a two-replica simulation is the one-replica simulation, frame for frame (its seed
     * is the fit's); replica 1 is another chain from its own start.
     */
    @Test
    void builtInReplicaZeroIsTheSingleReplicaRun() throws Exception {
        FitTerm pair = new FitTerm(InteractionKind.PAIR, List.of("W", "W"), 0.8, new CubicBSpline(12, 0, 0.8), null);
        int m = pair.basis().size();
        double[] theta = new double[m];
        for (int j = 0; j < m - 3; j++) {
            theta[j] = 3.0 * (1 - (double) j / (m - 3));
        }
        int per = 6;
        double l = 1.9;
        double[] start = new double[3 * per * per * per];
        CgTopology top = EngineSamplerResumeTest.lattice(per, l, start);
        double[] other = start.clone();
        for (int i = 0; i < other.length; i += 3) {
            other[i] += 0.05;
        }
        EngineSampler.Settings settings = new EngineSampler.Settings(0.004, 5.0, 200, 50, 10, 9);
        Samples single;
        // its own engine: an engine reseeds its noise only when the seed changes, so the same seed twice in one engine
        // would continue the first run's noise stream
        try (Engine e = new Engine(RemFit.forceField(List.of(pair), 300, 3, theta), top, Box.orthorhombic(l, l, l), start,
                Engine.Options.defaults().withThreads(2))) {
            single = new EngineSampler(e, settings).sample(theta, 3, 1.0);
        }
        try (Engine e = new Engine(RemFit.forceField(List.of(pair), 300, 3, theta), top, Box.orthorhombic(l, l, l), other,
                Engine.Options.defaults().withThreads(2))) {
            List<ReplicaSampler.Chain> chains = new ArrayList<>();
            for (int r = 0; r < 2; r++) {
                EngineSampler s = new EngineSampler(e, new EngineSampler.Settings(0.004, 5.0, 200, 50, 10, ReplicaSampler.replicaSeed(9, r)));
                s.setPositions(r == 0 ? start : other);
                chains.add(s);
            }
            List<Long> sunk = new ArrayList<>();
            ReplicaSampler two = new ReplicaSampler(chains, start.length, 1, null);
            two.setSink(f -> sunk.add(f.step));
            Samples both = two.sample(theta, 3, 1.0);
            assertEquals(2 * single.frames(), both.frames());
            assertEquals(both.frames(), sunk.size(), "every frame of both replicas went to the sink");
            boolean differs = false;
            for (int t = 0; t < single.frames(); t++) {
                for (int k = 0; k < m; k++) {
                    assertEquals(single.phi(t, k), both.phi(t, k), "replica 0, frame " + t);
                    differs |= both.phi(single.frames() + t, k) != single.phi(t, k);
                }
            }
            assertTrue(differs, "replica 1 is a chain of its own");
            assertNotEquals(0, two.stepsRun());
        }
    }
}

package org.remcg.simulate;

import org.remcg.model.ForceField;
import org.remcg.model.MiePotential;
import org.remcg.model.TablePotential;
import org.remcg.system.Box;
import org.remcg.system.CgTopology;

/**
 * The engine speed benchmark: a one-bead water-like fluid (33.3 beads/nm^3, 18.015 amu) with a
 * tabulated pair potential (Lennard-Jones sigma 0.3 nm, epsilon 0.65 kJ/mol plus a Gaussian well
 * at 0.45 nm, tabulated every 0.0005 nm from 0.15 nm, cutoff 0.9 nm), Langevin at 300 K with
 * dt = 2 fs and friction 1/ps, skin 0.1 nm, started from a cubic lattice. This class only builds the
 * system and times the remcg engine on it; comparisons with other programs (the {@code bench engine}
 * command runs the same system in LAMMPS) live with the command that starts them.
 */
public final class EngineBenchmark {
    /** Number density (beads per nm^3) of the benchmark fluid: 2180 beads in a 4.031 nm cube. */
    public static final double DENSITY = 2180 / Math.pow(4.031, 3);
    public static final double CUTOFF = 0.9;
    public static final double MASS = 18.015;
    public static final double TEMPERATURE = 300;
    public static final double DT = 0.002;

    private EngineBenchmark() {
    }

    /** Result of one timed run. */
    public record Timing(int particles, long steps, double seconds, double pairsPerStep, double cpuSeconds) {
        public double stepsPerSecond() {
            return steps / seconds;
        }

        /** Wall nanoseconds per pair interaction within the cutoff. */
        public double nsPerPair() {
            return seconds * 1e9 / (steps * pairsPerStep);
        }

        /** This run and {@code o} (of the same system) taken together. */
        public Timing plus(Timing o) {
            return new Timing(particles, steps + o.steps, seconds + o.seconds, pairsPerStep, cpuSeconds + o.cpuSeconds);
        }
    }

    /** CPU time of this process (all threads), or wall-clock nanoseconds when the JVM cannot tell. */
    static long processCpuNanos() {
        java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            return sun.getProcessCpuTime();
        }
        return System.nanoTime();
    }

    /**
     * Median round trip (ns) of one cache line between two threads that hand a counter back and forth, over
     * {@code rounds} batches of 20000 trips. On a virtual machine it tells how far apart the host placed the two
     * vCPUs at that moment (tens of ns: one core complex; hundreds: farther), which sets what every exchange
     * between the engine's threads costs. NaN on a single core.
     */
    public static double coreRoundTripNanos(int rounds) {
        if (Runtime.getRuntime().availableProcessors() < 2) {
            return Double.NaN; // the spinning threads would take turns on one core
        }
        final int trips = 20_000;
        double[] t = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            // the other thread answers each odd value with the next even one; -1 until it runs
            java.util.concurrent.atomic.AtomicLong ball = new java.util.concurrent.atomic.AtomicLong(-1);
            Thread other = new Thread(() -> {
                ball.set(0);
                for (long k = 1; k < 2L * trips; k += 2) {
                    while (ball.get() != k) {
                        Thread.onSpinWait();
                    }
                    ball.set(k + 1);
                }
            });
            other.setDaemon(true);
            other.start();
            while (ball.get() != 0) {
                Thread.onSpinWait();
            }
            long t0 = System.nanoTime();
            for (long k = 0; k < 2L * trips; k += 2) {
                while (ball.get() != k) {
                    Thread.onSpinWait();
                }
                ball.set(k + 1);
            }
            while (ball.get() != 2L * trips) {
                Thread.onSpinWait();
            }
            t[r] = (System.nanoTime() - t0) / (double) trips;
            try {
                other.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        java.util.Arrays.sort(t);
        return t[rounds / 2];
    }

    /** The tabulated potential: r (nm), U (kJ/mol), F (kJ/mol/nm). */
    public static double[][] table() {
        int np = (int) Math.round((CUTOFF - 0.15) / 0.0005) + 1;
        double[] r = new double[np];
        double[] u = new double[np];
        double[] f = new double[np];
        MiePotential lj = MiePotential.lennardJones(0.65, 0.3);
        for (int i = 0; i < np; i++) {
            r[i] = 0.15 + i * 0.0005;
            double g = Math.exp(-Math.pow((r[i] - 0.45) / 0.05, 2) / 2);
            u[i] = lj.energy(r[i]) - 0.3 * g;
            f[i] = -lj.derivative(r[i]) - 0.3 * g * (r[i] - 0.45) / (0.05 * 0.05);
        }
        return new double[][] {r, u, f};
    }

    /** Edge of the cube holding n beads at the benchmark density. */
    public static double edge(int n) {
        return n == 2180 ? 4.031 : Math.cbrt(n / DENSITY);
    }

    /** n positions on the first n sites of the smallest cubic lattice with at least n sites. */
    public static double[] lattice(int n, double l) {
        int per = (int) Math.ceil(Math.cbrt(n) - 1e-9);
        double a = l / per;
        double[] x = new double[3 * n];
        int k = 0;
        for (int i = 0; i < per && k < 3 * n; i++) {
            for (int j = 0; j < per && k < 3 * n; j++) {
                for (int m = 0; m < per && k < 3 * n; m++) {
                    x[k++] = (i + 0.5) * a;
                    x[k++] = (j + 0.5) * a;
                    x[k++] = (m + 0.5) * a;
                }
            }
        }
        return x;
    }

    public static ForceField forceField() {
        double[][] t = table();
        return ForceField.builder().temperature(TEMPERATURE).pair("W", "W", CUTOFF, false, new TablePotential(t[0], t[1], t[2], false)).build();
    }

    public static CgTopology topology(int n) {
        CgTopology.Builder b = new CgTopology.Builder();
        for (int i = 0; i < n; i++) {
            b.molecule();
            b.particle("W", "W", MASS);
        }
        return b.build();
    }

    /** Estimated pairs within the cutoff per step: N rho (4/3) pi rc^3 / 2 (g(r) averages to about 1 over the sphere). */
    public static double pairs(int n) {
        return 0.5 * n * (n / Math.pow(edge(n), 3)) * 4.0 / 3.0 * Math.PI * CUTOFF * CUTOFF * CUTOFF;
    }

    /** Equilibrates for {@code warm} steps, then times {@code steps} steps of the remcg engine. */
    public static Timing remcg(int n, long warm, long steps, int threads) {
        try (RemcgRun r = new RemcgRun(n, threads, warm)) {
            return r.run(steps);
        }
    }

    /**
     * The remcg engine on the benchmark system, equilibrated and kept open, so that timed pieces of a run can take
     * turns with other programs. The time of a piece is the engine's wall time; its CPU time is the process's.
     */
    public static final class RemcgRun implements AutoCloseable {
        private final int n;
        private final Engine engine;
        private final Integrator integrator = new Integrator.Langevin(DT, 1.0, TEMPERATURE, 2);

        /** Builds the system and runs {@code warm} steps (not timed). */
        public RemcgRun(int n, int threads, long warm) {
            this.n = n;
            double l = edge(n);
            engine = new Engine(forceField(), topology(n), Box.orthorhombic(l, l, l), lattice(n, l), Engine.Options.defaults().withThreads(threads));
            engine.initializeVelocities(TEMPERATURE, 1);
            engine.run(integrator, warm, 0, null);
        }

        /** Runs and times {@code steps} more steps. */
        public Timing run(long steps) {
            long c0 = processCpuNanos();
            long t0 = System.nanoTime();
            engine.run(integrator, steps, 0, null);
            return new Timing(n, steps, (System.nanoTime() - t0) * 1e-9, pairs(n), (processCpuNanos() - c0) * 1e-9);
        }

        @Override
        public void close() {
            engine.close();
        }
    }
}

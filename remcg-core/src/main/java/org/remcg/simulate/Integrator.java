package org.remcg.simulate;

import java.util.SplittableRandom;
import org.remcg.units.Units;

/**
 * How the engine moves the particles: Langevin BAOAB (NVT) or velocity Verlet (NVE). Both are splittings whose step
 * begins and ends with a half kick B; the engine gives the closing B together with the reduction of the block forces
 * ({@link Dynamics#reduce}), and the integrator does the rest of the step ({@link #move}: the opening B, then its
 * drifts and, for Langevin, the thermostat), one particle block at a time. The thermostat's temperature belongs to the
 * integrator, not to the force field.
 */
public sealed interface Integrator permits Integrator.Langevin, Integrator.VelocityVerlet {

    /** Time step in ps. */
    double dt();

    /** Temperature (K) the integrator holds the system at; NaN for one that conserves energy. */
    double temperature();

    /** Prepares the engine's dynamics for a run with this integrator (random streams, degrees of freedom). */
    void begin(Dynamics d);

    /**
     * Moves the particles [lo, hi) of block p by one step up to (not including) its closing half kick: the opening half
     * kick (a second one first when {@code kick}: the closing half kick of the previous step), then the drifts; writes
     * each particle's squared displacement into {@code d.moved(p)} (index i - lo).
     */
    void move(Dynamics d, int p, int lo, int hi, boolean kick);

    /**
     * Langevin dynamics split as B A O A B (Leimkuhler and Matthews): half kick, half drift, exact
     * Ornstein-Uhlenbeck velocity update v = c v + sqrt((1 - c^2) kT/m) xi with c = exp(-friction
     * dt), half drift, half kick. Random numbers come from one stream per particle block derived
     * from the seed, so the trajectory does not depend on the thread count.
     *
     * @param friction collision rate gamma in 1/ps
     */
    record Langevin(double dt, double friction, double temperature, long seed) implements Integrator {
        public Langevin {
            if (!(dt > 0) || !(friction >= 0) || !(temperature > 0) || Double.isInfinite(dt + friction + temperature)) {
                throw new IllegalArgumentException("Langevin needs dt > 0, friction >= 0 and temperature > 0, got dt=" + dt + " friction="
                        + friction + " T=" + temperature);
            }
        }

        /** The O part's constants, the block streams (re-seeded when the seed changed) and 3N degrees of freedom (a thermostat does not conserve momentum). */
        @Override
        public void begin(Dynamics d) {
            d.ouC = Math.exp(-friction * dt);
            d.ouKt = Units.KB * temperature;
            if (seed != d.rngSeed) {
                SplittableRandom root = new SplittableRandom(seed);
                for (int p = 0; p < d.rng.length; p++) {
                    d.rng[p] = new NormalSource(root.nextLong());
                }
                d.rngSeed = seed;
            }
            int n = d.particles.n;
            if (d.dof == 3 * n - 3) {
                d.dof = 3 * n;
            }
        }

        @Override
        public void move(Dynamics d, int p, int lo, int hi, boolean kick) {
            double h = d.halfStep;
            double c = d.ouC;
            double sq = Math.sqrt(Math.max(0, 1 - c * c) * d.ouKt);
            // the block's Langevin noise for this step, drawn in one go (i-major, then x, y, z, as the loop uses it) with the
            // generator state in a register
            double[] nz = d.noise[p];
            d.rng[p].fill(nz, Dynamics.PAD, 3 * (hi - lo));
            Integrator.kickAndDrift(d, p, lo, hi, kick, h, c, sq, nz);
        }
    }

    /** Velocity Verlet (B A B): energy-conserving dynamics for validation. */
    record VelocityVerlet(double dt) implements Integrator {
        public VelocityVerlet {
            if (!(dt > 0) || Double.isInfinite(dt)) {
                throw new IllegalArgumentException("time step must be positive, got " + dt);
            }
        }

        /** No thermostat: NaN. */
        @Override
        public double temperature() {
            return Double.NaN;
        }

        @Override
        public void begin(Dynamics d) {
        }

        @Override
        public void move(Dynamics d, int p, int lo, int hi, boolean kick) {
            Integrator.kickAndDrift(d, p, lo, hi, kick, dt, 0, 0, null);
        }
    }

    /**
     * The step of both integrators up to the closing half kick, for particles [lo, hi) of block p: the opening half kick,
     * the drift x += a v, and with Langevin noise {@code nz} (block p's, from offset {@link Dynamics#PAD}) the O part
     * v = c v + sq sqrt(1/m) xi followed by the second half drift x += (dt / 2) v; writes the squared displacements. The
     * noise test is the same for the whole loop (the JIT compiles the loop once per outcome).
     */
    private static void kickAndDrift(Dynamics d, int p, int lo, int hi, boolean kick, double a, double c, double sq, double[] nz) {
        double h = d.halfStep;
        boolean thermostat = nz != null;
        Particles s = d.particles;
        final double[] xs = s.x;
        final double[] vs = s.v;
        final double[] fs = s.f;
        final double[] invMass = s.invMass;
        final double[] moved = d.moved(p);
        for (int i = lo; i < hi; i++) {
            double im = invMass[i];
            double sd = thermostat ? sq * Math.sqrt(im) : 0;
            double mv = 0;
            for (int k = 0; k < 3; k++) {
                int o = 3 * i + k;
                double vv = Dynamics.kick(vs[o], fs[o], h, im, kick);
                double xo = xs[o];
                double xn = xo + a * vv;
                if (thermostat) {
                    vv = c * vv + sd * nz[Dynamics.PAD + 3 * (i - lo) + k];
                    xn += h * vv;
                }
                vs[o] = vv;
                xs[o] = xn;
                mv += (xn - xo) * (xn - xo);
            }
            moved[i - lo] = mv;
        }
    }
}

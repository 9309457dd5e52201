package org.remcg.simulate;

/** How the engine moves the particles: Langevin BAOAB (NVT) or velocity Verlet (NVE). */
public sealed interface Integrator permits Integrator.Langevin, Integrator.VelocityVerlet {

    /** Time step in ps. */
    double dt();

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
    }

    /** Velocity Verlet: energy-conserving dynamics for validation. */
    record VelocityVerlet(double dt) implements Integrator {
        public VelocityVerlet {
            if (!(dt > 0) || Double.isInfinite(dt)) {
                throw new IllegalArgumentException("time step must be positive, got " + dt);
            }
        }
    }
}

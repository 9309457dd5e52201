package org.remcg.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.remcg.dynamics.Diffusion;
import org.remcg.dynamics.Drift;
import org.remcg.dynamics.ModelSystems;
import org.remcg.dynamics.SdeIntegrator;
import org.remcg.dynamics.SdeSystem;
import org.remcg.dynamics.Trajectory;
import org.remcg.dynamics.TrajectoryCsv;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code remcg dynamics simulate}: integrates a built-in system or a user's drift class and writes the trajectory CSV. */
@Command(name = "simulate", mixinStandardHelpOptions = true,
        description = "Integrate a built-in system or a user Drift class and write a trajectory CSV (t,x1..xd,a1..ad).")
public final class DynamicsSimulateCommand implements Callable<Integer> {
    @Option(names = "--system", description = "Built-in system: " + ModelSystems.NAMES + ".") String system;
    @Option(names = "--drift-class",
            description = "Fully qualified name of a class implementing org.remcg.dynamics.Drift (public no-argument constructor).")
    String driftClass;
    @Option(names = "--classpath", description = "Jar or directory holding --drift-class.") Path classpath;
    @Option(names = "--dimension", description = "Dimension d of a user system.") Integer dimension;
    @Option(names = "--diffusion", description = "Diffusion coefficient D of a user system (sigma sigma^T = 2 D I).") Double diffusion;
    @Option(names = "--start", split = ",", description = "Start point x1,...,xd (default: the system's).") double[] start;
    @Option(names = "--dt", required = true, description = "Time step.") double dt;
    @Option(names = "--steps", required = true, description = "Number of steps.") long steps;
    @Option(names = "--stride", defaultValue = "1", description = "Write every K-th step (default ${DEFAULT-VALUE}).") int stride;
    @Option(names = "--scheme", defaultValue = "weak2", description = "em | weak2 (default ${DEFAULT-VALUE}; weak2 needs constant noise).")
    String scheme;
    @Mixin RunOptions.Seed seed;
    @Option(names = "--no-drift", description = "Do not write the drift columns a1..ad.") boolean noDrift;
    @Option(names = "--out", required = true, description = "Output trajectory CSV.") Path out;
    @Mixin Console console;

    @Override
    public Integer call() throws Exception {
        SdeSystem sys = system(system, driftClass, classpath, dimension, diffusion);
        if (steps >= 1 && stride >= 1) {
            Limits.memory("--steps / --stride: " + (steps / stride + 1) + " frames", (steps / stride + 1.0) * (1 + (noDrift ? 1 : 2) * sys.dimension()) * 8,
                    "raise --stride or lower --steps");
        }
        long t0 = System.nanoTime();
        Trajectory tr = SdeIntegrator.run(sys, SdeIntegrator.Scheme.parse(scheme), start, dt, steps, stride, seed.value, !noDrift);
        TrajectoryCsv.write(out, tr);
        console.log().printf(Locale.ROOT, "%s: %d steps of %g, %d frames written to %s (%.2f s)%n", sys.name(), steps, dt,
                tr.frames(), out, (System.nanoTime() - t0) / 1e9);
        return 0;
    }

    static SdeSystem system(String name, String driftClass, Path classpath, Integer dimension, Double diffusion) throws Exception {
        if ((name == null) == (driftClass == null)) {
            throw new Main.BadInputException("give either --system or --drift-class");
        }
        if (name != null) {
            return ModelSystems.byName(name);
        }
        if (dimension == null || dimension < 1 || diffusion == null || !(diffusion > 0)) {
            throw new Main.BadInputException("--drift-class needs --dimension d >= 1 and --diffusion D > 0");
        }
        ClassLoader loader = classpath == null ? DynamicsSimulateCommand.class.getClassLoader()
                : new java.net.URLClassLoader(new java.net.URL[] {classpath.toUri().toURL()}, DynamicsSimulateCommand.class.getClassLoader());
        Object o;
        try {
            o = Class.forName(driftClass, true, loader).getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new Main.BadInputException("cannot instantiate drift class '" + driftClass + "': " + e);
        }
        if (!(o instanceof Drift drift)) {
            throw new Main.BadInputException("class '" + driftClass + "' does not implement org.remcg.dynamics.Drift");
        }
        return new SdeSystem(driftClass, dimension, drift, Diffusion.isotropic(dimension, diffusion), new double[dimension]);
    }
}

import java.io.*;
import java.lang.reflect.*;
import java.net.*;
import java.nio.file.*;
import java.util.*;
/**
 * In-process A/B comparison of builds of the CG engine (org.remcg.simulate): each directory holds one build's
 * class files of that package, loaded child-first into its own class loader (everything else comes from the
 * class path, i.e. remcg.jar), so the builds run side by side in one JVM on the benchmark fluid
 * (EngineBenchmark: 2180 beads, Langevin, dt 2 fs). After 1500 warm-up steps each, chunks of CHUNK steps
 * alternate between the builds ROUNDS times (the order rotating from round to round); printed are mean and best
 * steps/s and the median ratio of each build's chunk time to the first build's in the same round (with the
 * interquartile range). With one thread the time is the thread's CPU time (the caller runs all the work), which a
 * loaded machine disturbs much less than wall time; with more, wall time. -Dskin=S sets the Verlet skin (default
 * 0.1). Alternating in one process cancels most of the machine's speed drift, which separate runs do not. Not part
 * of the build; see engine-ab.sh for compiling two git revisions and running this.
 *
 * Usage: java -cp remcg.jar:DIR_OF_THIS_CLASS EngineAb THREADS CHUNK ROUNDS DIR_A DIR_B [DIR_C ...]
 */
public class EngineAb {
    static class ChildFirst extends ClassLoader {
        final Path dir;
        ChildFirst(Path dir, ClassLoader parent) { super(parent); this.dir = dir; }
        @Override protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                if (c == null && name.startsWith("org.remcg.simulate.")) {
                    Path p = dir.resolve(name.replace('.', '/') + ".class");
                    try {
                        byte[] b = Files.exists(p) ? Files.readAllBytes(p) : getParent().getResourceAsStream(name.replace('.', '/') + ".class").readAllBytes();
                        c = defineClass(name, b, 0, b.length);
                    } catch (IOException e) { throw new ClassNotFoundException(name, e); }
                }
                if (c == null) c = getParent().loadClass(name);
                if (resolve) resolveClass(c);
                return c;
            }
        }
    }
    public static void main(String[] a) throws Exception {
        int threads = Integer.parseInt(a[0]); int chunk = Integer.parseInt(a[1]); int rounds = Integer.parseInt(a[2]);
        int nv = a.length - 3; Object[] eng = new Object[nv]; Method[] run = new Method[nv]; Object[] integ = new Object[nv];
        for (int v = 0; v < nv; v++) {
            ClassLoader cl = new ChildFirst(Paths.get(a[3 + v]), EngineAb.class.getClassLoader());
            Class<?> eb = cl.loadClass("org.remcg.simulate.EngineBenchmark");
            Class<?> engC = cl.loadClass("org.remcg.simulate.Engine");
            Class<?> opt = cl.loadClass("org.remcg.simulate.Engine$Options");
            Class<?> box = cl.loadClass("org.remcg.system.Box");
            int n = 2180; double l = 4.031;
            Object o = opt.getMethod("defaults").invoke(null); o = opt.getMethod("withThreads", int.class).invoke(o, threads); o = opt.getMethod("withSkin", double.class).invoke(o, Double.parseDouble(System.getProperty("skin", "0.1")));
            Object b = box.getMethod("orthorhombic", double.class, double.class, double.class).invoke(null, l, l, l);
            Object ff = eb.getMethod("forceField").invoke(null); Object top = eb.getMethod("topology", int.class).invoke(null, n);
            double[] x = (double[]) eb.getMethod("lattice", int.class, double.class).invoke(null, n, l);
            Constructor<?> k = engC.getConstructors()[0];
            for (Constructor<?> kk : engC.getConstructors()) if (kk.getParameterCount() == 5) k = kk;
            eng[v] = k.newInstance(ff, top, b, x, o);
            engC.getMethod("initializeVelocities", double.class, long.class).invoke(eng[v], 300.0, 1L);
            Class<?> lang = cl.loadClass("org.remcg.simulate.Integrator$Langevin");
            integ[v] = lang.getConstructors()[0].newInstance(0.002, 1.0, 300.0, 2L);
            for (Method m : engC.getMethods()) if (m.getName().equals("run") && m.getParameterCount() == 4) run[v] = m;
            run[v].invoke(eng[v], integ[v], 1500L, 0, null);
        }
        double[][] t = new double[nv][rounds];
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        boolean cpu = threads == 1;
        for (int r = 0; r < rounds; r++) for (int vv = 0; vv < nv; vv++) { int v = (vv + r) % nv; long t0 = cpu ? mx.getCurrentThreadCpuTime() : System.nanoTime(); run[v].invoke(eng[v], integ[v], (long) chunk, 0, null); t[v][r] = ((cpu ? mx.getCurrentThreadCpuTime() : System.nanoTime()) - t0) / 1e9 / chunk; }
        System.out.println(cpu ? "thread CPU time per step" : "wall time per step");
        for (int v = 0; v < nv; v++) {
            double[] rat = new double[rounds]; double[] s = t[v].clone(); double sum = 0;
            for (int r = 0; r < rounds; r++) { rat[r] = t[v][r] / t[0][r]; sum += t[v][r]; }
            Arrays.sort(rat); Arrays.sort(s);
            System.out.printf("%-40s mean %.1f steps/s, best %.1f steps/s, median time ratio to first %.3f [IQR %.3f..%.3f]%n", a[3 + v], rounds / sum, 1 / s[0], rat[rounds / 2], rat[rounds / 4], rat[3 * rounds / 4]);
        }
    }
}

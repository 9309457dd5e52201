package org.remcg.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.remcg.io.Frame;
import org.remcg.observe.FrameDriver;
import org.remcg.observe.MemoryTrajectory;
import org.remcg.observe.Rdf;
import org.remcg.system.Box;
import org.remcg.system.CgTopology;

/**
 * RDF accumulation throughput (frames per second): 3000 beads of two types at 8.3 beads/nm^3
 * (a 7.12 nm cubic box; uniform random positions, so the pair count matches a liquid of that
 * density), all three type pairs, r_max 1.5 nm, bins of 0.01 nm, no exclusions; 32 frames held
 * in memory and fed through {@link FrameDriver} on 1 or 2 threads. Reading and decoding a file
 * is not included.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 10, time = 2)
@Fork(1)
public class RdfBenchmark {
    static final int FRAMES = 32;

    @Param({"3000"})
    int particles;

    @Param({"1", "2"})
    int threads;

    CgTopology top;
    MemoryTrajectory traj;
    FrameDriver driver;

    @Setup(Level.Trial)
    public void setUp() {
        CgTopology.Builder b = new CgTopology.Builder();
        for (int i = 0; i < particles; i++) {
            b.molecule();
            b.particle(i % 2 == 0 ? "A" : "B", i % 2 == 0 ? "A" : "B", 72);
        }
        top = b.build();
        double edge = Math.cbrt(particles / 8.3);
        Box box = Box.orthorhombic(edge, edge, edge);
        SplittableRandom rnd = new SplittableRandom(1);
        List<Frame> frames = new ArrayList<>();
        for (int t = 0; t < FRAMES; t++) {
            Frame f = new Frame();
            f.resize(particles, false, false);
            f.box = box;
            f.index = t;
            for (int i = 0; i < 3 * particles; i++) {
                f.x[i] = rnd.nextDouble() * edge;
            }
            frames.add(f);
        }
        traj = new MemoryTrajectory(frames);
        driver = new FrameDriver(threads, 4);
    }

    @Benchmark
    @OperationsPerInvocation(FRAMES)
    public long rdf() throws Exception {
        Rdf rdf = new Rdf(top, 1.5, 0.01, 3);
        driver.run(traj, rdf);
        return rdf.count(0, 100);
    }
}

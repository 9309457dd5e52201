package org.remcg.bench;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.remcg.density.DensityBenchmark;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Reading 10^6 samples from text and fitting 50 B-spline features, end to end. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5)
@Measurement(iterations = 15)
@Fork(1)
public class DensityFitBenchmark {
    @Param({"1000000"})
    int samples;

    @Param({"50"})
    int features;

    Path file;

    @Setup(Level.Trial)
    public void write() throws Exception {
        file = Files.createTempFile("remcg-jmh", ".txt");
        DensityBenchmark.writeSamples(file, samples, 1);
    }

    @TearDown(Level.Trial)
    public void delete() throws Exception {
        Files.deleteIfExists(file);
    }

    @Benchmark
    public double readAndFit() throws Exception {
        return DensityBenchmark.run(file, features).logZ();
    }
}

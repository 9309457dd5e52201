package org.remcg.cli;

import picocli.CommandLine.Option;

/** The size and repetitions of a fit benchmark ({@code bench density}, {@code bench drift}), a picocli mixin. */
final class BenchFitOptions {
    @Option(names = "--features", defaultValue = "50", description = "Number of B-spline features (default ${DEFAULT-VALUE}).") int features;
    @Option(names = "--repeat", defaultValue = "5", description = "Timed repetitions after one warm-up (default ${DEFAULT-VALUE}).") int repeat;

    /** Rejects a feature count outside what a basis allows and a repetition count outside 1..1000. */
    void check() {
        Limits.range("--features", features, 4, org.remcg.model.Bases.MAX_FEATURES);
        Limits.range("--repeat", repeat, 1, 1000);
    }
}

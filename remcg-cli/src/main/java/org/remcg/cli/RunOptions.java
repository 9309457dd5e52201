package org.remcg.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Options several commands share, as picocli mixins ({@code @Mixin RunOptions.Seed seed}). */
final class RunOptions {
    private RunOptions() {
    }

    /** {@code --seed} (default 1). */
    static final class Seed {
        @Option(names = "--seed", paramLabel = "<seed>", defaultValue = "1", description = "Random seed (default ${DEFAULT-VALUE}).")
        long value;
    }

    /** {@code --out DIR}, a required output directory. */
    static final class OutputDirectory {
        @Option(names = "--out", paramLabel = "<out>", required = true, description = "Output directory.")
        Path dir;
    }
}

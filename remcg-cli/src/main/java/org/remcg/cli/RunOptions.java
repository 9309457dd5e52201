package org.remcg.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Options several commands share, as picocli mixins ({@code @Mixin RunOptions.Seed seed}). */
final class RunOptions {
    private RunOptions() {
    }

    /** {@code --seed} (default 1). */
    static final class Seed {
        @Option(names = "--seed", paramLabel = "<seed>", defaultValue = "1", description = "Random seed (default ${DEFAULT-VALUE}).") long value;
    }

    /** {@code --out DIR}, a required output directory. */
    static final class OutputDirectory {
        @Option(names = "--out", paramLabel = "<out>", required = true, description = "Output directory.") Path dir;
    }

    /** {@code --threads N} of the workers of a pass over frames (default: the CPUs this process may use). */
    static final class Threads {
        @Option(names = "--threads", paramLabel = "<threads>", description = "Worker threads (default: the CPUs this process may use).")
        Integer value;

        /** The number of workers: the option, checked against {@link Limits#MAX_THREADS}, or the CPUs available. */
        int resolve() {
            Limits.threads("--threads", value);
            int n = value == null ? org.remcg.system.Cpus.available() : value;
            if (n < 1) {
                throw new Main.BadInputException("--threads must be at least 1, got " + n);
            }
            return n;
        }
    }
}

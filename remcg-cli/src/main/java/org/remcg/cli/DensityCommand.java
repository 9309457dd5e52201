package org.remcg.cli;

import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code remcg density}: exact exponential-family densities in one or two dimensions. */
@Command(name = "density", mixinStandardHelpOptions = true,
        description = "Fit, sample and score low-dimensional exponential-family densities p ~ exp(-sum theta_i phi_i), normalized by quadrature.",
        subcommands = {DensityFitCommand.class, DensitySampleCommand.class, DensityScoreCommand.class})
public final class DensityCommand extends CommandGroup {

    /** The sample file and its column choice, shared by the commands that read samples. */
    static final class SampleFile {
        @Option(names = "--data", converter = InputFile.class, required = true, description = "Samples: one value (two for a box) per line, or CSV with a header.")
        Path data;

        @Option(names = "--column", description = "Column(s) to use: a header name or 1-based number; two, comma-separated, for a box.")
        String column;
    }
}

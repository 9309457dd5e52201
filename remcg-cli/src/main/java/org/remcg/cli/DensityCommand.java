package org.remcg.cli;

import java.io.IOException;
import java.nio.file.Path;
import org.remcg.density.DensityModels;
import org.remcg.io.DataFormatException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code remcg density}: exact exponential-family densities in one or two dimensions. */
@Command(name = "density", mixinStandardHelpOptions = true,
        description = "Fit, sample and score low-dimensional exponential-family densities p ~ exp(-sum theta_i phi_i), normalized by quadrature.",
        subcommands = {DensityFitCommand.class, DensitySampleCommand.class, DensityScoreCommand.class})
public final class DensityCommand extends CommandGroup {

    /** The sample file and its column choice, shared by the commands that read samples. */
    static final class SampleFile {
        @Option(names = "--data", converter = InputFile.class, required = true,
                description = "Samples: one value (two for a box) per line, or CSV with a header.")
        Path data;
        @Option(names = "--column", description = "Column(s) to use: a header name or 1-based number; two, comma-separated, for a box.")
        String column;
    }

    /** The fitted density a command works on: {@code --model}, a result.json of {@code density fit}. */
    static final class FittedModel {
        @Option(names = "--model", paramLabel = "<modelFile>", converter = InputFile.class, required = true,
                description = "result.json written by 'remcg density fit'.")
        Path file;

        /** The density, its parameters and logZ as the file gives them. */
        DensityModels.Fitted load() throws IOException, DataFormatException {
            return DensityModels.load(file);
        }
    }
}

package org.remcg.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.remcg.density.DensityDiagnostics;
import org.remcg.density.DensityModels;
import org.remcg.density.Domain;
import org.remcg.io.DataFormatException;
import org.remcg.io.SampleReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code remcg density score}: mean log-likelihood and estimated D_KL(data || model) of a fitted density on (held-out) data. */
@Command(name = "score", mixinStandardHelpOptions = true,
        description = "Score a fitted density on (held-out) data: mean log-likelihood and estimated D_KL(data || model).")
public final class DensityScoreCommand implements Callable<Integer> {
    @Mixin DensityCommand.FittedModel model;
    @Mixin DensityCommand.SampleFile input;
    @Option(names = "--out", description = "Also write the scores as JSON to this file.") Path out;
    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException, DataFormatException {
        DensityModels.Fitted m = model.load();
        Domain dom = m.model().domain();
        int dim = dom.dimension();
        // the k-NN entropy needs the points themselves: this command keeps one copy
        double[][] buf = {new double[1024], dim == 2 ? new double[1024] : null};
        int[] n = {0};
        SampleReader.read(input.data, dim, input.column, (xs, ys, lines, count) -> {
            for (int i = 0; i < count; i++) {
                double x = dom.wrap(xs[i]);
                double y = ys == null ? 0 : ys[i];
                try {
                    DensityDiagnostics.checkSupport(m.model(), x, y, input.data + ":" + lines[i]);
                } catch (DensityDiagnostics.SupportException e) {
                    throw new DataFormatException(input.data, lines[i], e.getMessage().substring(e.getMessage().indexOf(": ") + 2));
                }
                if (n[0] == buf[0].length) {
                    buf[0] = java.util.Arrays.copyOf(buf[0], 2 * n[0]);
                    if (buf[1] != null) {
                        buf[1] = java.util.Arrays.copyOf(buf[1], 2 * n[0]);
                    }
                }
                buf[0][n[0]] = x;
                if (buf[1] != null) {
                    buf[1][n[0]] = y;
                }
                n[0]++;
            }
        });
        double[] xs = java.util.Arrays.copyOf(buf[0], n[0]);
        double[] ys = buf[1] == null ? null : java.util.Arrays.copyOf(buf[1], n[0]);
        DensityDiagnostics.KlEstimate kl = DensityDiagnostics.heldOutKl(m.model(), m.theta(), m.logZ(), xs, ys);
        PrintWriter log = spec.commandLine().getOut();
        log.printf(Locale.ROOT, "%d samples: mean log-likelihood %.6f +- %.6f; k-NN entropy %.6f; estimated D_KL(data || model) = %.6f +- %.6f%n",
                kl.samples(), -kl.crossEntropy(), kl.standardError(), kl.entropy(), kl.kl(), kl.standardError());
        if (out != null) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("samples", kl.samples());
            json.put("mean_log_likelihood", -kl.crossEntropy());
            json.put("mean_log_likelihood_standard_error", kl.standardError());
            json.put("entropy_knn", kl.entropy());
            json.put("kl_estimate", kl.kl());
            Json.write(out, json);
        }
        return 0;
    }
}

package org.remcg.fit.problem;

import java.util.Locale;
import org.remcg.fit.FitTerm;
import org.remcg.fit.TargetDistribution;
import org.remcg.system.InteractionKind;

/**
 * Target against model on the target's own bins (both distributions must have the same bins), over the bins
 * that end at or before a pair's cutoff.
 *
 * @param maxDiff   largest |target - model|
 * @param worstLo   lower edge of that bin
 * @param worstHi   upper edge
 * @param rms       root mean square of target - model over the compared range, bins weighted by width
 * @param worstZ    largest |target - model| / model error over the bins (NaN without errors)
 * @param zLo       lower edge of that bin
 * @param zHi       upper edge
 * @param peak      largest target value
 * @param csv        distributions/*.csv text: per bin x, target, model, model error, bin edges, z, target error
 * @param withTarget whether the target's errors entered z
 */
public record DistributionComparison(double maxDiff, double worstLo, double worstHi, double rms, double worstZ, double zLo, double zHi, double peak,
                                     String csv, boolean withTarget) {

    /** One line for the terminal and the report: the term, the largest and rms differences, the worst bin in error units. */
    public String line(FitTerm t) {
        String unit = t.unit();
        String z = Double.isNaN(worstZ) ? "" : String.format(Locale.ROOT, "; worst bin %.3g-%.3g %s at %.1f %s", zLo, zHi, unit, worstZ,
                withTarget ? "combined errors of target and model" : "model errors (the target's are unknown)");
        return String.format(Locale.ROOT, "%-22s max |target - model| = %.4f at %.3g-%.3g %s, rms %.4f (%s on the target's bins%s; target peak %.3f)",
                t.name(), maxDiff, worstLo, worstHi, unit, rms, t.kind() == InteractionKind.PAIR ? "g(r) up to the cutoff" : "probability density",
                z, peak);
    }

    /**
     * Compares a target with a model distribution on the same bins.
     *
     * @param targetSe per-bin standard errors of the target (a reference trajectory's blocks), or null when unknown
     *                 (target files)
     * @param se       per-bin standard errors of the model run
     */
    public static DistributionComparison compare(FitTerm t, TargetDistribution tg, double[] targetSe, TargetDistribution md, double[] se) {
        if (!tg.sameBins(md)) {
            throw new IllegalStateException(t.name() + ": target and model distributions are not on the same bins");
        }
        StringBuilder csv = new StringBuilder("x,target,model,model_error,bin_lo,bin_hi,z,target_error\n");
        double upper = t.kind() == InteractionKind.PAIR ? t.cutoff() : Double.POSITIVE_INFINITY;
        double[] e = md.edges();
        double maxDiff = 0;
        double peak = 0;
        double ss = 0;
        double span = 0;
        double worstZ = Double.NaN;
        int worst = 0;
        int worstZBin = 0;
        double tol = 1e-9 * (e[e.length - 1] - e[0]);
        for (int i = 0; i < md.bins(); i++) {
            double a = tg.value()[i];
            double b = md.value()[i];
            double err = se == null ? Double.NaN : se[i];
            double terr = targetSe == null ? Double.NaN : targetSe[i];
            double comb = Math.sqrt(err * err + (Double.isNaN(terr) ? 0 : terr * terr));
            double z = comb > 0 ? Math.abs(a - b) / comb : Double.NaN;
            csv.append(String.format(Locale.ROOT, "%.6f,%.6g,%.6g,%.4g,%.6f,%.6f,%.3g,%.4g%n", md.x()[i], a, b, err, e[i], e[i + 1], z, terr));
            if (e[i + 1] > upper + tol) {
                continue;
            }
            double w = e[i + 1] - e[i];
            ss += w * (a - b) * (a - b);
            span += w;
            if (Math.abs(a - b) > maxDiff) {
                maxDiff = Math.abs(a - b);
                worst = i;
            }
            if (!Double.isNaN(z) && (Double.isNaN(worstZ) || z > worstZ)) {
                worstZ = z;
                worstZBin = i;
            }
            peak = Math.max(peak, a);
        }
        return new DistributionComparison(maxDiff, e[worst], e[worst + 1], span > 0 ? Math.sqrt(ss / span) : 0, worstZ, e[worstZBin], e[worstZBin + 1], peak,
                csv.toString(), targetSe != null);
    }
}

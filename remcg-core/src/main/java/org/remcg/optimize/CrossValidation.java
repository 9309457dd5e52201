package org.remcg.optimize;

import org.remcg.numeric.SampleMean;
import org.remcg.observe.FeatureBlocks;
import org.remcg.parallel.BlockReduce;

import java.util.ArrayList;
import java.util.List;

/**
 * Blocked K-fold cross-validation of linear REM models.
 *
 * <p>The samples are cut into K contiguous folds (contiguous because successive frames of a
 * trajectory are correlated: random folds would leak information into the held-out part). For
 * each candidate (a feature set with its ensemble and penalty) and each fold the model is fitted
 * on the other folds and scored by the mean held-out log-likelihood,
 * -beta theta . &lt;phi&gt;_heldout - ln Z(theta), which for an exponential family needs only
 * the held-out feature averages. The candidate with the highest mean score is chosen.
 * Candidates are evaluated in parallel; the result does not depend on the thread count.
 */
public final class CrossValidation {

    /** Fits parameters to a training mean of the given number of samples (throws InadmissibleModelException on failure). */
    public interface Fitter {
        double[] fit(double[] trainMean, long samples);
    }

    /** A model to score: its data, its ensemble (for ln Z) and how it is fitted. */
    public record Candidate(String label, int features, double penalty, FeatureBlocks data, ModelEnsemble ensemble, Fitter fitter) {
    }

    /** Held-out score of one candidate: mean over folds and its standard error. */
    public record Score(Candidate candidate, double mean, double standardError, double[] folds, String problem) {
        public boolean valid() {
            return problem == null;
        }
    }

    public record Outcome(List<Score> scores, int chosen) {
        public Score best() {
            return scores.get(chosen);
        }
    }

    private CrossValidation() {
    }

    public static Outcome run(List<Candidate> candidates, int folds, double beta) {
        if (candidates.isEmpty()) {
            throw new IllegalArgumentException("no candidates to cross-validate");
        }
        // the CPUs this process may use (the common pool would take all the machine's)
        Score[] scores = BlockReduce.map("remcg-cv", candidates.size(), org.remcg.system.Cpus.available(),
                c -> score(candidates.get(c), folds, beta)).toArray(new Score[0]);
        int best = -1;
        for (int c = 0; c < scores.length; c++) {
            if (scores[c].valid() && (best < 0 || scores[c].mean() > scores[best].mean())) {
                best = c;
            }
        }
        if (best < 0) {
            throw new InadmissibleModelException("no cross-validation candidate could be fitted: " + scores[0].problem());
        }
        List<Score> list = new ArrayList<>(List.of(scores));
        return new Outcome(list, best);
    }

    static Score score(Candidate c, int folds, double beta) {
        int[] bounds = c.data().foldBoundaries(folds);
        double[] s = new double[folds];
        for (int k = 0; k < folds; k++) {
            double[] train = c.data().mean(bounds[k], bounds[k + 1], true);
            double[] held = c.data().mean(bounds[k], bounds[k + 1], false);
            double[] theta;
            try {
                theta = c.fitter().fit(train, c.data().count(bounds[k], bounds[k + 1], true));
            } catch (InadmissibleModelException e) {
                return new Score(c, Double.NaN, Double.NaN, s, "fold " + (k + 1) + ": " + e.getMessage());
            }
            double ll = -c.ensemble().moments(theta, false).logZ();
            for (int i = 0; i < held.length; i++) {
                ll -= beta * theta[i] * held[i];
            }
            s[k] = ll;
        }
        SampleMean m = SampleMean.of(s);
        return new Score(c, m.mean(), m.standardError(), s, null);
    }
}

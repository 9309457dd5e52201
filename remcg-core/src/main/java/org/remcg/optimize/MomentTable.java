package org.remcg.optimize;

import java.util.ArrayList;
import java.util.List;

/**
 * Moment-matching check: for every feature the target average, the model average and their
 * difference in units of the target average's standard error. At a converged REM fit without
 * penalty the differences vanish; |z| of a few or more flags an unconverged or penalized fit.
 */
public final class MomentTable {

    public record Row(String feature, double target, double model, double standardError, double z) {
    }

    private MomentTable() {
    }

    public static List<Row> build(String[] names, double[] target, double[] targetStandardError, double[] model) {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < names.length; i++) {
            double se = targetStandardError[i];
            double d = target[i] - model[i];
            // a feature that is constant over the data has a zero standard error; rounding-level
            // differences are then no evidence of a mismatch
            double floor = 1e-12 * (1 + Math.abs(target[i]));
            double z = Math.abs(d) <= floor ? 0 : (se > 0 ? d / Math.max(se, floor) : Double.NaN);
            rows.add(new Row(names[i], target[i], model[i], se, z));
        }
        return rows;
    }

    /** Largest |z| in the table (NaN entries ignored). */
    public static double maxAbsZ(List<Row> rows) {
        double m = 0;
        for (Row r : rows) {
            if (!Double.isNaN(r.z())) {
                m = Math.max(m, Math.abs(r.z()));
            }
        }
        return m;
    }
}

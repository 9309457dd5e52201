package org.remcg.optimize;

/** A smooth function to minimize, with gradient and Hessian. */
public interface Objective {

    int dimension();

    /**
     * Value, gradient and Hessian at theta. A point where the model is not admissible returns
     * an evaluation with value +infinity (and no derivatives) instead of throwing.
     */
    Evaluation evaluate(double[] theta);

    /**
     * @param value    objective (+infinity when inadmissible)
     * @param gradient length n, or null when inadmissible
     * @param hessian  n x n row-major, or null when inadmissible
     * @param problem  why the point is inadmissible, else null
     */
    record Evaluation(double value, double[] gradient, double[] hessian, String problem) {
        public static Evaluation inadmissible(String problem) {
            return new Evaluation(Double.POSITIVE_INFINITY, null, null, problem);
        }

        public boolean admissible() {
            return gradient != null;
        }

        public double gradientNorm() {
            double s = 0;
            for (double g : gradient) {
                s += g * g;
            }
            return Math.sqrt(s);
        }
    }
}

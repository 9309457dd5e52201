package org.remcg.mapping;

import java.util.Arrays;

/**
 * How a bead's position is weighted over its atoms: by atomic mass (centre of mass), equally
 * (geometric centre), or by explicit non-negative numbers, one per atom in the bead's order. The
 * weights are normalized to sum to one when the mapper is built.
 */
public sealed interface Weights permits Weights.Mass, Weights.Geometry, Weights.Explicit {

    /** Centre of mass. */
    Weights MASS = new Mass();
    /** Geometric centre (all atoms count equally). */
    Weights GEOMETRY = new Geometry();

    /** Weights by atomic mass. */
    record Mass() implements Weights {
        @Override
        public String toString() {
            return "mass";
        }
    }

    /** Equal weights. */
    record Geometry() implements Weights {
        @Override
        public String toString() {
            return "geometry";
        }
    }

    /** Explicit weights, one per atom of the bead. */
    record Explicit(double[] values) implements Weights {
        public Explicit {
            values = values.clone();
        }

        @Override
        public double[] values() {
            return values.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Explicit e && Arrays.equals(e.values, values);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(values);
        }

        @Override
        public String toString() {
            return Arrays.toString(values);
        }
    }
}

package org.remcg.model;

import java.util.ArrayList;
import java.util.List;
import org.remcg.system.InteractionKind;

/**
 * A coarse-grained force field: a target temperature, non-bonded pair interactions between bead
 * types (each with a cutoff) and bonded interactions (bonds, angles, dihedrals) selected by the
 * bead types of the particles they join, plus the number of bond hops whose pairs are excluded from
 * the non-bonded interactions.
 *
 * <p>The basis-expanded interactions ({@link SplinePotential}) together own one parameter vector
 * theta, their coefficient blocks concatenated in interaction order. {@link #setParameters} changes
 * theta in place and increments {@link #version()}, so an engine built on this force field picks up
 * the new potential at its next run without being rebuilt. The per-frame feature vector the engine
 * records has the same layout as theta.
 *
 * <p>Variables: pair and bond distances in nm, angles and dihedrals in radians (the dihedral in the
 * IUPAC convention, trans = pi).
 */
public final class ForceField {

    /**
     * One interaction. For pairs, {@code cutoff} (nm) ends it (zero beyond; shifted to zero at the
     * cutoff when {@code shift}); bonded interactions have cutoff NaN and shift false.
     */
    public record Interaction(InteractionKind kind, List<String> beads, double cutoff, boolean shift, Potential potential) {
        public Interaction {
            beads = List.copyOf(beads);
            if (beads.size() != kind.beads()) {
                throw new IllegalArgumentException(kind.key() + " interaction needs " + kind.beads() + " beads, got " + beads);
            }
            if (kind == InteractionKind.PAIR) {
                if (!(cutoff > 0) || Double.isInfinite(cutoff)) {
                    throw new IllegalArgumentException("pair " + beads + " needs a finite cutoff > 0, got " + cutoff);
                }
                if (potential.upperBound() < cutoff) {
                    throw new IllegalArgumentException("pair " + beads + ": the potential ends at " + potential.upperBound()
                            + " nm, before the cutoff " + cutoff + " nm");
                }
            }
        }

        /** Whether this interaction applies to particles of the given type names in this order. */
        public boolean matches(String... types) {
            if (types.length != beads.size()) {
                return false;
            }
            boolean fwd = true;
            boolean rev = true;
            int n = types.length;
            for (int k = 0; k < n; k++) {
                fwd &= beads.get(k).equals(types[k]);
                rev &= beads.get(n - 1 - k).equals(types[k]);
            }
            return fwd || rev;
        }

        /** Name such as {@code pair W-W}. */
        public String name() {
            return kind.key() + " " + String.join("-", beads);
        }
    }

    private final double temperature;
    private final int exclusionHops;
    private final List<Interaction> interactions;
    private final int[] offset;
    private final int parameters;
    private volatile long version;

    private ForceField(double temperature, int exclusionHops, List<Interaction> interactions) {
        this.temperature = temperature;
        this.exclusionHops = exclusionHops;
        this.interactions = List.copyOf(interactions);
        offset = new int[interactions.size()];
        int p = 0;
        for (int i = 0; i < interactions.size(); i++) {
            Interaction a = interactions.get(i);
            for (int j = 0; j < i; j++) {
                Interaction b = interactions.get(j);
                if (a.kind == b.kind && b.matches(a.beads.toArray(new String[0]))) {
                    throw new IllegalArgumentException("two " + a.kind.key() + " interactions for beads " + a.beads);
                }
            }
            if (a.potential instanceof SplinePotential s) {
                offset[i] = p;
                p += s.basis().size();
            } else {
                offset[i] = -1;
            }
        }
        parameters = p;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Target temperature (K). */
    public double temperature() { return temperature; }

    /** Pairs joined by at most this many bonds do not interact through pair potentials (0: none excluded). */
    public int exclusionHops() { return exclusionHops; }

    public List<Interaction> interactions() { return interactions; }

    /** Offset of interaction i's block in theta, or -1 when it is not basis-expanded. */
    public int parameterOffset(int i) { return offset[i]; }

    /** Length of theta (and of the per-frame feature vector). */
    public int parameterCount() { return parameters; }

    /** Incremented whenever theta changes. */
    public long version() { return version; }

    /** Name of parameter (feature) k, e.g. {@code pair W-W B03}. */
    public String parameterName(int k) {
        for (int i = 0; i < interactions.size(); i++) {
            if (offset[i] >= 0 && k >= offset[i] && k < offset[i] + ((SplinePotential) interactions.get(i).potential).basis().size()) {
                return interactions.get(i).name() + " " + ((SplinePotential) interactions.get(i).potential).basis().featureName(k - offset[i]);
            }
        }
        throw new IndexOutOfBoundsException("parameter " + k + " of " + parameters);
    }

    /** The current theta (a copy). */
    public double[] parameters() {
        double[] t = new double[parameters];
        for (int i = 0; i < interactions.size(); i++) {
            if (offset[i] >= 0) {
                double[] c = ((SplinePotential) interactions.get(i).potential).coef;
                System.arraycopy(c, 0, t, offset[i], c.length);
            }
        }
        return t;
    }

    /** Sets theta (length {@link #parameterCount()}); not to be called while an engine is running on this force field. */
    public synchronized void setParameters(double[] theta) {
        if (theta.length != parameters) {
            throw new IllegalArgumentException("force field has " + parameters + " parameters, got " + theta.length);
        }
        for (int k = 0; k < theta.length; k++) {
            if (!Double.isFinite(theta[k])) {
                throw new IllegalArgumentException("parameter " + parameterName(k) + " is not finite: " + theta[k]);
            }
        }
        for (int i = 0; i < interactions.size(); i++) {
            if (offset[i] >= 0) {
                double[] c = ((SplinePotential) interactions.get(i).potential).coef;
                System.arraycopy(theta, offset[i], c, 0, c.length);
            }
        }
        version++;
    }

    /** Collects interactions. */
    public static final class Builder {
        private double temperature = Double.NaN;
        private int hops = 1;
        private final List<Interaction> list = new ArrayList<>();

        public Builder temperature(double kelvin) {
            if (!(kelvin > 0) || Double.isInfinite(kelvin)) {
                throw new IllegalArgumentException("temperature must be positive and finite, got " + kelvin);
            }
            temperature = kelvin;
            return this;
        }

        public Builder exclusionHops(int h) {
            if (h < 0) {
                throw new IllegalArgumentException("exclusions must be 0 or more bond hops, got " + h);
            }
            hops = h;
            return this;
        }

        public Builder pair(String a, String b, double cutoff, boolean shift, Potential p) {
            list.add(new Interaction(InteractionKind.PAIR, List.of(a, b), cutoff, shift, p));
            return this;
        }

        public Builder bond(String a, String b, Potential p) {
            list.add(new Interaction(InteractionKind.BOND, List.of(a, b), Double.NaN, false, p));
            return this;
        }

        public Builder angle(String a, String b, String c, Potential p) {
            list.add(new Interaction(InteractionKind.ANGLE, List.of(a, b, c), Double.NaN, false, p));
            return this;
        }

        public Builder dihedral(String a, String b, String c, String d, Potential p) {
            list.add(new Interaction(InteractionKind.DIHEDRAL, List.of(a, b, c, d), Double.NaN, false, p));
            return this;
        }

        public Builder add(Interaction i) {
            list.add(i);
            return this;
        }

        public ForceField build() {
            if (Double.isNaN(temperature)) {
                throw new IllegalArgumentException("force field needs a temperature");
            }
            return new ForceField(temperature, hops, list);
        }
    }

    @Override
    public String toString() {
        return "ForceField[T=" + temperature + " K, " + interactions.size() + " interactions, " + parameters + " parameters, exclusions "
                + exclusionHops + "]";
    }
}

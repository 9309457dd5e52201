package org.remcg.fit;

import java.util.List;
import org.remcg.mapping.Mapper;
import org.remcg.model.CubicBSpline;
import org.remcg.observe.FeatureTerm;
import org.remcg.system.CgTopology;

/**
 * One fitted interaction: its kind, bead types, cutoff (pairs), B-spline basis and, optionally,
 * a target distribution read from a file (g(r) for pairs, the raw distribution otherwise).
 */
public record FitTerm(Kind kind, List<String> beads, double cutoff, CubicBSpline basis, TargetDistribution target) {

    public enum Kind {
        PAIR(2), BOND(2), ANGLE(3), DIHEDRAL(4);

        public final int arity;

        Kind(int arity) {
            this.arity = arity;
        }

        public String key() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public FitTerm {
        beads = List.copyOf(beads);
        if (beads.size() != kind.arity) {
            throw new IllegalArgumentException("a " + kind.key() + " names " + kind.arity + " bead types, got " + beads);
        }
        if (kind == Kind.PAIR && !(cutoff > 0)) {
            throw new IllegalArgumentException("pair " + beads + ": the cutoff must be positive");
        }
    }

    /** Unit of the coordinate: nm for pairs and bonds, rad for angles and dihedrals. */
    public String unit() {
        return kind == Kind.PAIR || kind == Kind.BOND ? "nm" : "rad";
    }

    /** Canonical label: bead types joined by '-' in the direction that sorts first (pairs: sorted). */
    public String label() {
        return Mapper.label(beads.toArray(new String[0]));
    }

    /** {@code pair W-W}, {@code bond A-B}, ... */
    public String name() {
        return kind.key() + " " + label();
    }

    /** File-system friendly name, e.g. {@code pair_W-W}. */
    public String fileName() {
        return kind.key() + "_" + label().replaceAll("[^A-Za-z0-9+._-]", "_");
    }

    /**
     * Labels of this term's kind in the CG topology (bond, angle or dihedral labels; for a pair the
     * bead type names).
     */
    public String[] labels(CgTopology top) {
        return switch (kind) {
            case BOND -> top.bondLabels();
            case ANGLE -> top.angleLabels();
            case DIHEDRAL -> top.dihedralLabels();
            case PAIR -> top.typeNames();
        };
    }

    /** Number of bonded terms of the topology this term applies to (0 for pairs). */
    public int count(CgTopology top) {
        int[] lab = switch (kind) {
            case BOND -> top.bondLabel();
            case ANGLE -> top.angleLabel();
            case DIHEDRAL -> top.dihedralLabel();
            case PAIR -> new int[0];
        };
        int want = java.util.Arrays.asList(labels(top)).indexOf(label());
        int n = 0;
        for (int l : lab) {
            n += l == want ? 1 : 0;
        }
        return n;
    }

    /** The feature accumulator's view of this term. */
    public FeatureTerm featureTerm() {
        return switch (kind) {
            case PAIR -> new FeatureTerm.Pair(beads.get(0), beads.get(1), cutoff, basis);
            case BOND -> new FeatureTerm.Bond(label(), basis);
            case ANGLE -> new FeatureTerm.Angle(label(), basis);
            case DIHEDRAL -> new FeatureTerm.Dihedral(label(), basis);
        };
    }
}

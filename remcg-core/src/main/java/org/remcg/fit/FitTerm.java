package org.remcg.fit;

import java.util.List;
import org.remcg.mapping.Mapper;
import org.remcg.model.CubicBSpline;
import org.remcg.model.ParameterLayout;
import org.remcg.model.Roughness;
import org.remcg.observe.FeatureTerm;
import org.remcg.system.CgTopology;
import org.remcg.system.InteractionKind;

/**
 * One fitted interaction: its kind, bead types, cutoff (pairs), B-spline basis and, optionally,
 * a target distribution read from a file (g(r) for pairs, the raw distribution otherwise).
 */
public record FitTerm(InteractionKind kind, List<String> beads, double cutoff, CubicBSpline basis, TargetDistribution target) {

    public FitTerm {
        beads = List.copyOf(beads);
        if (beads.size() != kind.beads()) {
            throw new IllegalArgumentException("a " + kind.key() + " names " + kind.beads() + " bead types, got " + beads);
        }
        if (kind == InteractionKind.PAIR && !(cutoff > 0)) {
            throw new IllegalArgumentException("pair " + beads + ": the cutoff must be positive");
        }
    }

    /** Unit of the coordinate: nm for pairs and bonds, rad for angles and dihedrals. */
    public String unit() {
        return kind.unit();
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

    /** The parameter layout of terms in this order: one block per term, named {@link #name()}, of its basis size. */
    public static ParameterLayout layout(List<FitTerm> terms) {
        int[] sizes = new int[terms.size()];
        for (int q = 0; q < sizes.length; q++) {
            sizes[q] = terms.get(q).basis().size();
        }
        return ParameterLayout.of(terms.stream().map(FitTerm::name).toList(), sizes);
    }

    /** Second-difference roughness of every term's coefficients, block-diagonal in the terms' layout (m x m, row-major). */
    public static double[] roughness(List<FitTerm> terms) {
        return layout(terms).blockDiagonal(terms.stream().map(t -> Roughness.matrix(t.basis())).toList());
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

package org.remcg.density;

import org.remcg.model.Bases;
import org.remcg.model.Basis1D;
import org.remcg.model.Features;

/** Builds the features of a density model from a domain and a basis specification. */
public final class DensityModels {
    private DensityModels() {
    }

    /**
     * Features for the domain: the basis on the interval or circle, or the tensor product of the
     * same kind of basis along both axes of a box (each axis on its own range).
     */
    public static Features features(Domain domain, String basisSpec) {
        if (domain.dimension() == 1) {
            return Features.of(Bases.parse(basisSpec, domain.xmin(), domain.xmax()));
        }
        if (basisSpec.split(":").length > 2) {
            throw new IllegalArgumentException("basis '" + basisSpec + "': on a box each axis takes the box's range; give kind:K only");
        }
        Basis1D bx = Bases.parse(basisSpec, domain.xmin(), domain.xmax());
        Basis1D by = Bases.parse(basisSpec, domain.ymin(), domain.ymax());
        return Features.of(bx, by);
    }

    /** The same kind of features with size parameter k. */
    public static Features resized(Features f, int k) {
        if (f.dimension() == 1) {
            return Features.of(Bases.withSize(f.axis(0), k));
        }
        return Features.of(Bases.withSize(f.axis(0), k), Bases.withSize(f.axis(1), k));
    }

    /** The specification string of features built by {@link #features}. */
    public static String spec(Features f) {
        String s = f.axis(0).spec();
        if (f.dimension() == 2) {
            int colon = s.indexOf(':', s.indexOf(':') + 1);
            return colon < 0 ? s : s.substring(0, colon);
        }
        return s;
    }
}

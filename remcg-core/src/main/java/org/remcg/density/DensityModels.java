package org.remcg.density;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.remcg.io.DataFormatException;
import org.remcg.io.YamlTree;
import org.remcg.model.Bases;
import org.remcg.model.Basis1D;
import org.remcg.model.CubicBSpline;
import org.remcg.model.Features;

/**
 * Builds the features of a density model from a domain and a basis specification, the ladder of basis sizes
 * cross-validation tries, and reads a fitted model back from the {@code result.json} of {@code remcg density fit}.
 */
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

    /**
     * Basis sizes for cross-validation up to the size of {@code base}: for B-splines 25, 35, 50, 70 and 100 % of it (at
     * least 4), otherwise every step of K/8 down from K.
     */
    public static List<Integer> sizeLadder(Features base) {
        int k = Bases.sizeParameter(base.axis(0));
        TreeSet<Integer> s = new TreeSet<>();
        if (base.axis(0) instanceof CubicBSpline) {
            for (double frac : new double[] {0.25, 0.35, 0.5, 0.7, 1.0}) {
                s.add(Math.max(4, (int) Math.round(k * frac)));
            }
        } else {
            int step = Math.max(1, k / 8);
            for (int i = k; i >= 1; i -= step) {
                s.add(i);
            }
        }
        return new ArrayList<>(s);
    }

    /** A fitted density read back: its model, parameters and log Z. */
    public record Fitted(ExpFamilyDensity model, double[] theta, double logZ) {
    }

    /**
     * Reads the model of a {@code result.json} written by {@code remcg density fit} (domain, basis, parameters) and
     * normalizes it; a file that is not one is a {@link DataFormatException} naming it.
     */
    public static Fitted load(Path file) throws IOException, DataFormatException {
        JsonNode n;
        try {
            n = YamlTree.readTree(new ObjectMapper(), file, "JSON");
        } catch (DataFormatException e) {
            throw new DataFormatException(file, 0, "not a valid result.json: " + e.problem());
        }
        for (String key : new String[] {"domain", "basis", "parameters"}) {
            if (n == null || !n.has(key)) {
                throw new DataFormatException(file, 0, "missing '" + key + "' (expected a result.json of 'remcg density fit')");
            }
        }
        Domain dom = Domain.parse(n.get("domain").asText());
        Features f = features(dom, n.get("basis").asText());
        JsonNode p = n.get("parameters");
        if (!p.isArray() || p.size() != f.size()) {
            throw new DataFormatException(file, 0, "'parameters' must be an array of " + f.size() + " numbers for " + n.get("basis").asText());
        }
        double[] theta = new double[f.size()];
        for (int i = 0; i < theta.length; i++) {
            if (!p.get(i).isNumber()) {
                throw new DataFormatException(file, 0, "parameters[" + i + "] is not a number");
            }
            theta[i] = p.get(i).asDouble();
        }
        ExpFamilyDensity model = new ExpFamilyDensity(dom, f);
        return new Fitted(model, theta, model.moments(theta, false).logZ());
    }
}

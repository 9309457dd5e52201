package org.remcg.model;

import java.util.Locale;

/**
 * Builds bases from their textual specification: {@code fourier:K}, {@code cosine:K},
 * {@code bspline:K[:A,B]} and {@code legendre:K[:A,B]}. Without an explicit range the basis
 * takes the default range supplied by the caller (normally the domain).
 */
public final class Bases {
    /** Largest accepted number of features in one direction. */
    public static final int MAX_FEATURES = 2000;

    private Bases() {
    }

    /** The basis kinds the parser knows. */
    public static final String KINDS = "fourier:K, cosine:K, bspline:K[:A,B], legendre:K[:A,B]";

    /**
     * Parses a basis specification.
     *
     * @param spec      e.g. {@code bspline:20:0,1}
     * @param defaultLo range start used when the spec gives none (may be infinite: then a range is required)
     * @param defaultHi range end used when the spec gives none
     * @throws IllegalArgumentException with a one-line message naming what is wrong
     */
    public static Basis1D parse(String spec, double defaultLo, double defaultHi) {
        String s = spec.trim().toLowerCase(Locale.ROOT);
        String[] parts = s.split(":", -1);
        if (parts.length < 2 || parts.length > 3) {
            throw new IllegalArgumentException("basis '" + spec + "' is not of the form kind:K[:A,B]; known: " + KINDS);
        }
        String kind = parts[0];
        int k;
        try {
            k = Integer.parseInt(parts[1].trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("basis '" + spec + "': K must be an integer, got '" + parts[1] + "'");
        }
        double lo = defaultLo;
        double hi = defaultHi;
        if (parts.length == 3) {
            String[] r = parts[2].split(",", -1);
            if (r.length != 2) {
                throw new IllegalArgumentException("basis '" + spec + "': range must be A,B");
            }
            try {
                lo = Double.parseDouble(r[0].trim());
                hi = Double.parseDouble(r[1].trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("basis '" + spec + "': range A,B must be numbers");
            }
            if (!(hi > lo) || !Double.isFinite(lo) || !Double.isFinite(hi)) {
                throw new IllegalArgumentException("basis '" + spec + "': range needs finite A < B");
            }
        }
        boolean finite = Double.isFinite(lo) && Double.isFinite(hi);
        switch (kind) {
            case "fourier":
            case "cosine": {
                checkRange(spec, k, 1, MAX_FEATURES / 2);
                if (parts.length == 3) {
                    throw new IllegalArgumentException("basis '" + spec + "': Fourier bases take their period from the domain, not A,B");
                }
                requireFinite(spec, finite);
                return new Fourier(k, kind.equals("cosine"), lo, hi);
            }
            case "bspline": {
                checkRange(spec, k, 4, MAX_FEATURES);
                requireFinite(spec, finite);
                return new CubicBSpline(k, lo, hi);
            }
            case "legendre": {
                checkRange(spec, k, 1, Legendre.MAX_DEGREE);
                requireFinite(spec, finite);
                return new Legendre(k, lo, hi);
            }
            default:
                throw new IllegalArgumentException("unknown basis '" + parts[0] + "' in '" + spec + "'; known: " + KINDS);
        }
    }

    private static void checkRange(String spec, int k, int min, int max) {
        if (k < min || k > max) {
            throw new IllegalArgumentException("basis '" + spec + "': K = " + k + " is out of range " + min + ".." + max);
        }
    }

    private static void requireFinite(String spec, boolean finite) {
        if (!finite) {
            throw new IllegalArgumentException("basis '" + spec + "' needs a finite range: the domain is unbounded, so give it as kind:K:A,B");
        }
    }

    /** The same kind of basis with another number of features (used by cross-validation over basis size). */
    public static Basis1D withSize(Basis1D basis, int k) {
        if (basis instanceof CubicBSpline) {
            return new CubicBSpline(k, basis.lower(), basis.upper());
        }
        if (basis instanceof Fourier f) {
            return new Fourier(k, f.cosineOnly(), f.lower(), f.upper());
        }
        if (basis instanceof Legendre) {
            return new Legendre(k, basis.lower(), basis.upper());
        }
        throw new IllegalArgumentException("cannot resize basis " + basis.spec());
    }

    /** The size parameter K of a basis' spec (features for splines, order for Fourier, degree for Legendre). */
    public static int sizeParameter(Basis1D basis) {
        if (basis instanceof Fourier f) {
            return f.order();
        }
        return basis.size();
    }
}

package org.remcg.density;

import java.util.Locale;

/**
 * Where a low-dimensional density lives: an interval (ends may be infinite), the circle
 * [0, 2 pi) of angles in radians, or a rectangle. Parsed from {@code interval:A,B},
 * {@code circle} and {@code box:A,B,C,D}.
 */
public record Domain(Kind kind, double xmin, double xmax, double ymin, double ymax) {

    public enum Kind { INTERVAL, CIRCLE, BOX }

    public static final double TWO_PI = 2 * Math.PI;

    public Domain {
        if (kind == Kind.CIRCLE) {
            xmin = 0;
            xmax = TWO_PI;
        }
        if (!(xmax > xmin)) {
            throw new IllegalArgumentException("domain needs min < max, got [" + xmin + ", " + xmax + "]");
        }
        if (kind == Kind.BOX) {
            if (!(ymax > ymin)) {
                throw new IllegalArgumentException("box domain needs C < D, got [" + ymin + ", " + ymax + "]");
            }
            if (!Double.isFinite(xmin) || !Double.isFinite(xmax) || !Double.isFinite(ymin) || !Double.isFinite(ymax)) {
                throw new IllegalArgumentException("box domain must be finite");
            }
        }
    }

    public static Domain interval(double a, double b) {
        return new Domain(Kind.INTERVAL, a, b, 0, 0);
    }

    public static Domain circle() {
        return new Domain(Kind.CIRCLE, 0, TWO_PI, 0, 0);
    }

    public static Domain box(double a, double b, double c, double d) {
        return new Domain(Kind.BOX, a, b, c, d);
    }

    /** Parses {@code circle}, {@code interval:A,B} (A, B may be -inf / inf) or {@code box:A,B,C,D}. */
    public static Domain parse(String spec) {
        String s = spec.trim().toLowerCase(Locale.ROOT);
        if (s.equals("circle")) {
            return circle();
        }
        int colon = s.indexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("domain '" + spec + "' is not one of circle, interval:A,B, box:A,B,C,D");
        }
        String kind = s.substring(0, colon);
        String[] f = s.substring(colon + 1).split(",", -1);
        double[] v = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            v[i] = parseBound(spec, f[i].trim());
        }
        switch (kind) {
            case "interval":
                if (v.length != 2) {
                    throw new IllegalArgumentException("domain '" + spec + "': interval needs two bounds A,B");
                }
                return interval(v[0], v[1]);
            case "box":
                if (v.length != 4) {
                    throw new IllegalArgumentException("domain '" + spec + "': box needs four bounds A,B,C,D");
                }
                return box(v[0], v[1], v[2], v[3]);
            default:
                throw new IllegalArgumentException("domain '" + spec + "' is not one of circle, interval:A,B, box:A,B,C,D");
        }
    }

    private static double parseBound(String spec, String t) {
        switch (t) {
            case "inf":
            case "+inf":
                return Double.POSITIVE_INFINITY;
            case "-inf":
                return Double.NEGATIVE_INFINITY;
            default:
                try {
                    double d = Double.parseDouble(t);
                    if (Double.isNaN(d)) {
                        throw new NumberFormatException();
                    }
                    return d;
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("domain '" + spec + "': '" + t + "' is not a number");
                }
        }
    }

    public int dimension() {
        return kind == Kind.BOX ? 2 : 1;
    }

    public boolean bounded() {
        return Double.isFinite(xmin) && Double.isFinite(xmax);
    }

    /** Maps an angle onto [0, 2 pi) on the circle; other domains return x unchanged. */
    public double wrap(double x) {
        if (kind != Kind.CIRCLE) {
            return x;
        }
        double w = x - TWO_PI * Math.floor(x / TWO_PI);
        return w >= TWO_PI ? 0 : w;
    }

    /** True when (x, y) (after wrapping, on the circle) lies in the domain; y is ignored in 1-D. */
    public boolean contains(double x, double y) {
        if (kind == Kind.CIRCLE) {
            return Double.isFinite(x);
        }
        boolean inX = x >= xmin && x <= xmax && !Double.isNaN(x) && !Double.isInfinite(x);
        if (kind == Kind.INTERVAL) {
            return inX;
        }
        return inX && y >= ymin && y <= ymax && Double.isFinite(y);
    }

    /** Lebesgue measure of the domain (infinite for unbounded intervals). */
    public double volume() {
        double v = xmax - xmin;
        return kind == Kind.BOX ? v * (ymax - ymin) : v;
    }

    public String spec() {
        switch (kind) {
            case CIRCLE:
                return "circle";
            case INTERVAL:
                return "interval:" + fmt(xmin) + "," + fmt(xmax);
            default:
                return "box:" + fmt(xmin) + "," + fmt(xmax) + "," + fmt(ymin) + "," + fmt(ymax);
        }
    }

    private static String fmt(double v) {
        if (v == Double.POSITIVE_INFINITY) {
            return "inf";
        }
        if (v == Double.NEGATIVE_INFINITY) {
            return "-inf";
        }
        return Double.toString(v);
    }
}

package org.remcg.cli;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.remcg.dynamics.BasisField;
import org.remcg.dynamics.CgData;
import org.remcg.dynamics.DynamicsExamples;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** Plots of the dynamics commands: drift profiles, fine-vs-CG comparisons and the example figures. */
final class DynamicsPlot {
    private DynamicsPlot() {
    }

    private static XYChart chart(String title, String x, String y, int height) {
        XYChart c = new XYChartBuilder().width(900).height(height).title(title).xAxisTitle(x).yAxisTitle(y).build();
        c.getStyler().setChartBackgroundColor(Color.WHITE);
        c.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideNE);
        c.getStyler().setXAxisDecimalPattern("0.###");
        return c;
    }

    private static XYSeries line(XYChart c, String name, double[] x, double[] y, Color col, boolean dashed) {
        XYSeries s = c.addSeries(name, x, y);
        s.setMarker(SeriesMarkers.NONE);
        s.setLineColor(col);
        if (dashed) {
            s.setLineStyle(SeriesLines.DASH_DASH);
        }
        return s;
    }

    private static void save(Path file, XYChart... charts) throws IOException {
        int h = 0;
        BufferedImage[] imgs = new BufferedImage[charts.length];
        for (int i = 0; i < charts.length; i++) {
            imgs[i] = BitmapEncoder.getBufferedImage(charts[i]);
            h += imgs[i].getHeight();
        }
        BufferedImage img = new BufferedImage(imgs[0].getWidth(), h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        int y = 0;
        for (BufferedImage b : imgs) {
            g.drawImage(b, 0, y, null);
            y += b.getHeight();
        }
        g.dispose();
        AtomicFiles.write(file, o -> javax.imageio.ImageIO.write(img, "png", o));
    }

    private static double[] band(double[] v, double[] e, double k) {
        double[] o = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            o[i] = v[i] + k * e[i];
        }
        return o;
    }

    /** 1-D fit: b* with a +-2 s.e. band, the PMF-gradient drift, and their difference. */
    static void driftProfiles(Path file, double[] y, double[] b, double[] be, double[] p, double[] pe, String title) throws IOException {
        XYChart c = chart("CG drift: " + title, "y", "drift", 520);
        line(c, "b*(y) = E[A | y] (fit)", y, b, new Color(200, 40, 40), false);
        line(c, "+-2 s.e.", y, band(b, be, 2), new Color(230, 140, 140), true);
        line(c, " ", y, band(b, be, -2), new Color(230, 140, 140), true).setShowInLegend(false);
        line(c, "PMF-gradient drift -D F'(y)", y, p, new Color(40, 80, 200), false);
        double[] d = new double[y.length];
        double[] de = new double[y.length];
        for (int i = 0; i < y.length; i++) {
            d[i] = b[i] - p[i];
            de[i] = Math.hypot(be[i], pe[i]);
        }
        XYChart c2 = chart("difference b* - PMF-gradient drift", "y", "drift difference", 360);
        line(c2, "b* - (-D F')", y, d, new Color(40, 40, 40), false);
        line(c2, "+-2 s.e.", y, band(d, de, 2), new Color(150, 150, 150), true);
        line(c2, " ", y, band(d, de, -2), new Color(150, 150, 150), true).setShowInLegend(false);
        save(file, c, c2);
    }

    /** 2-D fit: b1 along y1 and b2 along y2 through the data median. */
    static void driftSections(Path file, BasisField f, CgData data, double[] l0, double[] l1, String title) throws IOException {
        double[] y = data.y();
        int n = data.frames();
        double[] c0 = new double[n];
        double[] c1 = new double[n];
        for (int i = 0; i < n; i++) {
            c0[i] = y[2 * i];
            c1[i] = y[2 * i + 1];
        }
        java.util.Arrays.sort(c0);
        java.util.Arrays.sort(c1);
        double m0 = c0[n / 2];
        double m1 = c1[n / 2];
        int np = 201;
        XYChart[] charts = new XYChart[2];
        for (int a = 0; a < 2; a++) {
            double[] lim = a == 0 ? l0 : l1;
            double[] x = new double[np];
            double[] v = new double[np];
            double[] e = new double[np];
            double[] o = new double[2];
            double[] oe = new double[2];
            for (int i = 0; i < np; i++) {
                x[i] = lim[0] + (lim[1] - lim[0]) * i / (np - 1);
                f.evaluate(a == 0 ? x[i] : m0, a == 0 ? m1 : x[i], o, oe);
                v[i] = o[a];
                e[i] = oe[a];
            }
            charts[a] = chart("b" + (a + 1) + " along y" + (a + 1) + " (y" + (2 - a) + " at its median " + String.format(java.util.Locale.ROOT, "%.3g", a == 0 ? m1 : m0)
                    + "): " + title, "y" + (a + 1), "b" + (a + 1), 420);
            line(charts[a], "fit", x, v, new Color(200, 40, 40), false);
            line(charts[a], "+-2 s.e.", x, band(v, e, 2), new Color(230, 140, 140), true);
            line(charts[a], " ", x, band(v, e, -2), new Color(230, 140, 140), true).setShowInLegend(false);
        }
        save(file, charts);
    }

    /** Fine vs CG: stationary densities and autocorrelation functions, per CG component. */
    static void compare(Path file, List<double[][]> hf, List<double[][]> hc, List<double[][]> af, List<double[][]> ac, String title)
            throws IOException {
        int m = hf.size();
        XYChart[] charts = new XYChart[2 * m];
        for (int c = 0; c < m; c++) {
            String y = m == 1 ? "y" : "y" + (c + 1);
            XYChart d = chart("stationary density of " + y + ": " + title, y, "density", 420);
            line(d, "fine", hf.get(c)[0], hf.get(c)[1], new Color(40, 40, 40), false);
            line(d, "CG model", hc.get(c)[0], hc.get(c)[1], new Color(200, 40, 40), true);
            XYChart a = chart("autocorrelation of " + y, "lag time", "C(t)/C(0)", 380);
            line(a, "fine", af.get(c)[0], af.get(c)[1], new Color(40, 40, 40), false);
            line(a, "CG model", ac.get(c)[0], ac.get(c)[1], new Color(200, 40, 40), true);
            charts[2 * c] = d;
            charts[2 * c + 1] = a;
        }
        save(file, charts);
    }

    /** Example (a): relative errors of tau_int and MFPT against the time-scale ratio. */
    static void doubleWell(Path file, List<DynamicsExamples.DoubleWellRow> rows) throws IOException {
        int n = rows.size();
        double[] r = new double[n];
        double[] et = new double[n];
        double[] em = new double[n];
        for (int i = 0; i < n; i++) {
            r[i] = Math.log(rows.get(i).ratio()) / Math.log(2);
            et[i] = 100 * rows.get(i).tauError();
            em[i] = 100 * rows.get(i).mfptError();
        }
        XYChart c = chart("double well: CG model with b* vs fine dynamics", "log2(D2 / D1)", "relative error (%)", 480);
        c.addSeries("tau_int of y", r, et).setMarker(SeriesMarkers.CIRCLE);
        c.addSeries("MFPT between the wells", r, em).setMarker(SeriesMarkers.SQUARE);
        save(file, c);
    }

    /** Example (b): PMF F, the potential G read off b* with constant D, and D(theta). */
    static void ring(Path file, DynamicsExamples.RingReference ref) throws IOException {
        double[] th = ref.theta();
        int n = th.length;
        java.util.List<Double> x = new java.util.ArrayList<>();
        java.util.List<Double> f = new java.util.ArrayList<>();
        java.util.List<Double> g = new java.util.ArrayList<>();
        java.util.List<Double> d = new java.util.ArrayList<>();
        double h = th[1] - th[0];
        double gi = 0;
        double f0 = Double.NaN;
        double g0 = Double.NaN;
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                gi -= 0.5 * h * (ref.optimalDrift()[i] + ref.optimalDrift()[i - 1]) / ref.meanDiffusion();
            }
            if (th[i] >= -1.8 && th[i] <= 1.8 && i % 10 == 0) {
                if (Double.isNaN(f0)) {
                    f0 = ref.pmf()[i];
                    g0 = gi;
                }
                x.add(th[i]);
                f.add(ref.pmf()[i] - f0);
                g.add(gi - g0);
                d.add(ref.diffusion()[i]);
            }
        }
        XYChart c = chart("ring, CG variable = angle: PMF vs the potential generating b*", "theta", "kT", 460);
        c.addSeries("PMF F(theta)", x, f).setMarker(SeriesMarkers.NONE);
        c.addSeries("G = -int b* / mean D", x, g).setMarker(SeriesMarkers.NONE);
        XYChart c2 = chart("effective diffusion D(theta) = E[1/r^2 | theta]", "theta", "D", 340);
        c2.addSeries("D(theta)", x, d).setMarker(SeriesMarkers.NONE);
        save(file, c, c2);
    }
}

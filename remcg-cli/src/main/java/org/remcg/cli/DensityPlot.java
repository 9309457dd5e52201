package org.remcg.cli;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.remcg.density.ExpFamilyDensity;
import org.remcg.observe.Histogram;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;

/** The picture of a density fit: the data histogram with the fitted density on top. */
final class DensityPlot {
    private DensityPlot() {
    }

    /**
     * @param lnpError standard error of ln p at a point (drawn as a +-2 band on the potential), or null
     */
    static void write(Path file, ExpFamilyDensity model, double[] theta, double logZ, Histogram hist, String title,
                      java.util.function.DoubleUnaryOperator lnpError) throws IOException {
        BufferedImage img = model.domain().dimension() == 1 ? oneD(model, theta, logZ, hist, title, lnpError) : twoD(model, theta, logZ, hist, title);
        AtomicFiles.write(file, o -> javax.imageio.ImageIO.write(img, "png", o));
    }

    private static BufferedImage oneD(ExpFamilyDensity model, double[] theta, double logZ, Histogram h, String title,
                                      java.util.function.DoubleUnaryOperator lnpError) {
        XYChart chart = new XYChartBuilder().width(900).height(560).title("remcg density fit: " + title)
                .xAxisTitle("x").yAxisTitle("probability density").build();
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideNE);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        int nb = h.x().bins();
        // histogram as a step outline
        double[] hx = new double[2 * nb + 2];
        double[] hy = new double[2 * nb + 2];
        double w = (h.x().max() - h.x().min()) / nb;
        hx[0] = h.x().min();
        hy[0] = 0;
        for (int i = 0; i < nb; i++) {
            hx[2 * i + 1] = h.x().min() + i * w;
            hx[2 * i + 2] = h.x().min() + (i + 1) * w;
            hy[2 * i + 1] = h.density(i, 0);
            hy[2 * i + 2] = h.density(i, 0);
        }
        hx[2 * nb + 1] = h.x().max();
        hy[2 * nb + 1] = 0;
        XYSeries sh = chart.addSeries("data histogram (" + h.total() + " samples)", hx, hy);
        sh.setMarker(SeriesMarkers.NONE);
        sh.setLineColor(new Color(120, 120, 120));
        int np = 600;
        double[] x = new double[np];
        double[] y = new double[np];
        for (int i = 0; i < np; i++) {
            x[i] = h.x().min() + (h.x().max() - h.x().min()) * i / (np - 1);
            double lp = model.logDensity(theta, logZ, x[i], 0);
            y[i] = Double.isFinite(lp) ? Math.exp(lp) : 0;
        }
        XYSeries sf = chart.addSeries("fitted exp(-U)/Z", x, y);
        sf.setMarker(SeriesMarkers.NONE);
        sf.setLineColor(new Color(200, 40, 40));

        // the potential itself, against the Boltzmann inversion of the histogram
        XYChart pot = new XYChartBuilder().width(900).height(400).title("potential: U(x) + ln Z = -ln p(x)")
                .xAxisTitle("x").yAxisTitle("-ln p  (kT)").build();
        pot.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideN);
        pot.getStyler().setChartBackgroundColor(Color.WHITE);
        java.util.List<Double> bx = new java.util.ArrayList<>();
        java.util.List<Double> by = new java.util.ArrayList<>();
        for (int i = 0; i < nb; i++) {
            if (h.count(i, 0) > 0) {
                bx.add(h.x().center(i));
                by.add(-Math.log(h.density(i, 0)));
            }
        }
        if (!bx.isEmpty()) {
            XYSeries sb = pot.addSeries("-ln(histogram)", bx, by);
            sb.setLineStyle(org.knowm.xchart.style.lines.SeriesLines.NONE);
            sb.setMarker(SeriesMarkers.CIRCLE);
            sb.setMarkerColor(new Color(120, 120, 120));
        }
        java.util.List<Double> ux = new java.util.ArrayList<>();
        java.util.List<Double> uy = new java.util.ArrayList<>();
        for (int i = 0; i < np; i++) {
            double lp = model.logDensity(theta, logZ, x[i], 0);
            if (Double.isFinite(lp)) {
                ux.add(x[i]);
                uy.add(-lp);
            }
        }
        XYSeries su = pot.addSeries("fitted U + ln Z", ux, uy);
        su.setMarker(SeriesMarkers.NONE);
        su.setLineColor(new Color(200, 40, 40));
        if (lnpError != null && !ux.isEmpty()) {
            java.util.List<Double> lo = new java.util.ArrayList<>();
            java.util.List<Double> hi = new java.util.ArrayList<>();
            for (int i = 0; i < ux.size(); i++) {
                double e = 2 * lnpError.applyAsDouble(ux.get(i));
                lo.add(uy.get(i) - e);
                hi.add(uy.get(i) + e);
            }
            for (int k = 0; k < 2; k++) {
                XYSeries band = pot.addSeries(k == 0 ? "+-2 s.e. (independent samples)" : " ", ux, k == 0 ? lo : hi);
                band.setMarker(SeriesMarkers.NONE);
                band.setLineColor(new Color(230, 140, 140));
                band.setLineStyle(org.knowm.xchart.style.lines.SeriesLines.DASH_DASH);
                band.setShowInLegend(k == 0);
            }
        }
        if (!by.isEmpty()) {
            double top = java.util.Collections.max(by) + 2;
            pot.getStyler().setYAxisMax(top);
            pot.getStyler().setYAxisMin(Math.min(java.util.Collections.min(by), java.util.Collections.min(uy)) - 0.5);
        }
        BufferedImage a = BitmapEncoder.getBufferedImage(chart);
        BufferedImage b = BitmapEncoder.getBufferedImage(pot);
        BufferedImage img = new BufferedImage(a.getWidth(), a.getHeight() + b.getHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.drawImage(a, 0, 0, null);
        g.drawImage(b, 0, a.getHeight(), null);
        g.dispose();
        return img;
    }

    private static BufferedImage twoD(ExpFamilyDensity model, double[] theta, double logZ, Histogram h, String title) {
        int panel = 420;
        int margin = 50;
        BufferedImage img = new BufferedImage(2 * panel + 3 * margin, panel + 2 * margin + 30, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        double[][] data = new double[h.x().bins()][h.y().bins()];
        double max = 0;
        for (int i = 0; i < h.x().bins(); i++) {
            for (int j = 0; j < h.y().bins(); j++) {
                data[i][j] = h.density(i, j);
                max = Math.max(max, data[i][j]);
            }
        }
        int res = 120;
        double[][] fit = new double[res][res];
        for (int i = 0; i < res; i++) {
            for (int j = 0; j < res; j++) {
                double x = h.x().min() + (h.x().max() - h.x().min()) * (i + 0.5) / res;
                double y = h.y().min() + (h.y().max() - h.y().min()) * (j + 0.5) / res;
                fit[i][j] = Math.exp(model.logDensity(theta, logZ, x, y));
                max = Math.max(max, fit[i][j]);
            }
        }
        drawMap(g, data, margin, margin + 30, panel, max);
        drawMap(g, fit, 2 * margin + panel, margin + 30, panel, max);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        g.drawString("remcg density fit: " + title, margin, 28);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        g.drawString("data histogram (" + h.total() + " samples)", margin, margin + 22);
        g.drawString("fitted exp(-U)/Z  (same colour scale, max " + String.format("%.3g", max) + ")", 2 * margin + panel, margin + 22);
        String xr = String.format("x: [%g, %g]   y: [%g, %g]", h.x().min(), h.x().max(), h.y().min(), h.y().max());
        g.drawString(xr, margin, margin + 30 + panel + 20);
        g.dispose();
        return img;
    }

    private static void drawMap(Graphics2D g, double[][] v, int x0, int y0, int size, double max) {
        int nx = v.length;
        int ny = v[0].length;
        for (int i = 0; i < nx; i++) {
            for (int j = 0; j < ny; j++) {
                g.setColor(colour(max > 0 ? v[i][j] / max : 0));
                int px = x0 + i * size / nx;
                int pw = x0 + (i + 1) * size / nx - px;
                int py = y0 + size - (j + 1) * size / ny;
                int ph = y0 + size - j * size / ny - py;
                g.fillRect(px, py, pw, ph);
            }
        }
        g.setColor(Color.BLACK);
        g.drawRect(x0, y0, size, size);
    }

    /** A perceptually ordered dark-blue to yellow ramp. */
    private static Color colour(double t) {
        t = Math.max(0, Math.min(1, t));
        float r = (float) Math.min(1, Math.max(0, 1.6 * t - 0.3));
        float gr = (float) Math.min(1, Math.max(0, 0.1 + 0.9 * Math.sqrt(t)));
        float b = (float) Math.min(1, Math.max(0, 0.45 + 0.5 * Math.sin(Math.PI * t) - 0.4 * t));
        return new Color(r, gr, b);
    }
}

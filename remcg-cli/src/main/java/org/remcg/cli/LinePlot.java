package org.remcg.cli;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** A PNG of several curves over one x grid (RDFs, bonded distributions), written atomically. */
final class LinePlot {
    private LinePlot() {
    }

    static void write(Path png, String title, String xLabel, String yLabel, double[] x, List<String> names, List<double[]> ys, Double reference)
            throws IOException {
        XYChart chart = new XYChartBuilder().width(900).height(560).title(title).xAxisTitle(xLabel).yAxisTitle(yLabel).build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        for (int s = 0; s < names.size(); s++) {
            XYSeries series = chart.addSeries(names.get(s), x, ys.get(s));
            series.setMarker(SeriesMarkers.NONE);
        }
        if (reference != null && x.length > 1) {
            XYSeries one = chart.addSeries(" ", new double[] {x[0], x[x.length - 1]}, new double[] {reference, reference});
            one.setMarker(SeriesMarkers.NONE);
            one.setLineColor(new Color(160, 160, 160));
            one.setLineStyle(org.knowm.xchart.style.lines.SeriesLines.DOT_DOT);
            one.setShowInLegend(false);
        }
        BufferedImage img = BitmapEncoder.getBufferedImage(chart);
        AtomicFiles.write(png, o -> javax.imageio.ImageIO.write(img, "png", o));
    }

    /** The file beside {@code out} with its extension replaced by {@code .png}. */
    static Path beside(Path out) {
        String name = out.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return out.resolveSibling((dot > 0 ? name.substring(0, dot) : name) + ".png");
    }

    /** A number in at most 10 significant digits without trailing zeros (plain notation where sensible). */
    static String num(double v) {
        if (v == 0) {
            return "0";
        }
        String s = String.format(java.util.Locale.ROOT, "%.10g", v);
        int e = s.indexOf('e');
        String mant = e < 0 ? s : s.substring(0, e);
        String exp = e < 0 ? "" : s.substring(e);
        if (mant.indexOf('.') >= 0) {
            mant = mant.replaceAll("0+$", "");
            if (mant.endsWith(".")) {
                mant = mant.substring(0, mant.length() - 1);
            }
        }
        return mant + exp;
    }
}

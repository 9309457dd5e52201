import java.awt.Color;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Plots the target g(r) of the first remcg fit distribution file (x,target,model) with the model
 * curves of every file, and prints max |target - model| of each model against that one target.
 * Run with the application jar on the class path:
 *   java -cp remcg-cli/target/remcg.jar docs/tools/RdfComparePlot.java OUT.png RMAX FILE:LABEL [FILE:LABEL ...]
 */
public class RdfComparePlot {
    public static void main(String[] args) throws Exception {
        Path out = Path.of(args[0]);
        double rmax = Double.parseDouble(args[1]);
        XYChart c = new XYChartBuilder().width(800).height(500).title("SPC/E water, one bead per molecule: g(r) of the CG models")
                .xAxisTitle("r (nm)").yAxisTitle("g(r)").build();
        c.getStyler().setChartBackgroundColor(Color.WHITE);
        c.getStyler().setXAxisDecimalPattern("0.00");
        c.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideNE);
        Color[] colors = {new Color(200, 60, 40), new Color(40, 90, 200), new Color(40, 150, 60)};
        double[] tx = null;
        double[] ty = null;
        for (int a = 2; a < args.length; a++) {
            int colon = args[a].lastIndexOf(':');
            Path file = Path.of(args[a].substring(0, colon));
            String label = args[a].substring(colon + 1);
            List<String> lines = Files.readAllLines(file);
            List<double[]> rows = new ArrayList<>();
            for (String l : lines.subList(1, lines.size())) {
                String[] p = l.split(",");
                rows.add(new double[] {Double.parseDouble(p[0]), Double.parseDouble(p[1]), Double.parseDouble(p[2])});
            }
            double[] x = new double[rows.size()];
            double[] t = new double[rows.size()];
            double[] m = new double[rows.size()];
            for (int i = 0; i < x.length; i++) {
                x[i] = rows.get(i)[0];
                t[i] = rows.get(i)[1];
                m[i] = rows.get(i)[2];
            }
            if (tx == null) {
                tx = x;
                ty = t;
                XYSeries s = c.addSeries("target (mapped atomistic)", x, t);
                s.setMarker(SeriesMarkers.NONE);
                s.setLineColor(new Color(30, 30, 30));
            }
            double worst = 0;
            double where = 0;
            for (int i = 0; i < x.length; i++) {
                if (x[i] > rmax) {
                    continue;
                }
                int j = nearest(tx, x[i]);
                double d = Math.abs(ty[j] - m[i]);
                if (d > worst) {
                    worst = d;
                    where = x[i];
                }
            }
            System.out.printf(Locale.ROOT, "%s: max |g_target - g_model| = %.3f at r = %.3f nm (r <= %.2f nm)%n", label, worst, where, rmax);
            XYSeries s = c.addSeries(label + String.format(Locale.ROOT, " (max |dg| %.2f)", worst), x, m);
            s.setMarker(SeriesMarkers.NONE);
            s.setLineColor(colors[(a - 2) % colors.length]);
        }
        BitmapEncoder.saveBitmap(c, out.toString().replaceAll("\\.png$", ""), BitmapEncoder.BitmapFormat.PNG);
    }

    static int nearest(double[] x, double v) {
        int best = 0;
        for (int i = 1; i < x.length; i++) {
            if (Math.abs(x[i] - v) < Math.abs(x[best] - v)) {
                best = i;
            }
        }
        return best;
    }
}

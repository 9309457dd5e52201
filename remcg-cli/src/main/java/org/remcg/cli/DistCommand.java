package org.remcg.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.remcg.io.DataFormatException;
import org.remcg.io.TrajectoryFormatException;
import org.remcg.observe.BondedDistributions;
import org.remcg.system.InteractionKind;
import org.remcg.observe.MappedAccumulator;
import org.remcg.mapping.FineSystem;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code remcg dist}: distributions of the CG bond lengths, angles and dihedrals of a mapped
 * trajectory, one column per bonded label, as CSV files and PNG plots in an output directory.
 */
@Command(name = "dist", mixinStandardHelpOptions = true,
        description = "Bond-length, angle and dihedral distributions of a mapped trajectory, per bonded label.")
public final class DistCommand extends FineInputCommand {
    @Option(names = "--mapping", converter = InputFile.class, required = true, description = "Mapping YAML with the CG bonds, angles and dihedrals.")
    Path mapping;
    @Option(names = "--bond-range", defaultValue = "0:1", description = "Bond-length range MIN:MAX in nm. Default: ${DEFAULT-VALUE}.")
    String bondRange;
    @Option(names = "--bins", defaultValue = "200", description = "Bins over the bond-length range. Default: ${DEFAULT-VALUE}.") int bondBins;
    @Option(names = "--angle-bins", defaultValue = "180", description = "Bins over [0, pi] for angles. Default: ${DEFAULT-VALUE}.") int angleBins;
    @Option(names = "--dihedral-bins", defaultValue = "180", description = "Bins over [-pi, pi] for dihedrals. Default: ${DEFAULT-VALUE}.")
    int dihedralBins;
    @Mixin RunOptions.Threads threads;
    @Option(names = "--out", required = true, description = "Output directory (bonds.csv, angles.csv, dihedrals.csv and PNGs).") Path out;

    @Override
    Integer run(PrintWriter log, PrintWriter warn) throws IOException, DataFormatException, TrajectoryFormatException {
        double[] range = range(bondRange);
        Limits.bins("--bins", bondBins);
        Limits.bins("--angle-bins", angleBins);
        Limits.bins("--dihedral-bins", dihedralBins);
        int nThreads = threads.resolve();
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new Main.BadInputException("--out must be a directory, but " + out + " is a file");
        }
        FineSystem sys = load(mapping, warn);
        var cg = sys.particles();
        if (cg.bondCount() + cg.angleCount() + cg.dihedralCount() == 0) {
            throw new Main.BadInputException(mapping + ": the mapping defines no bonds, angles or dihedrals");
        }
        BondedDistributions dist = new BondedDistributions(cg, range[0], range[1], bondBins, angleBins, dihedralBins);

        long t0 = System.nanoTime();
        long frames = in.run(sys.fine().atoms(), nThreads, new MappedAccumulator<>(sys.mapper(), dist));
        double seconds = (System.nanoTime() - t0) * 1e-9;
        Files.createDirectories(out);
        List<String> written = new ArrayList<>();
        String[] file = {"bonds", "angles", "dihedrals"};
        String[] axis = {"bond length (nm)", "angle (rad)", "dihedral (rad)"};
        for (InteractionKind kind : InteractionKind.BONDED) {
            String[] labels = dist.labels(kind);
            if (labels.length == 0) {
                continue;
            }
            double[] x = dist.centres(kind);
            List<String> names = new ArrayList<>();
            List<double[]> ys = new ArrayList<>();
            for (int l = 0; l < labels.length; l++) {
                names.add(labels[l]);
                long outside = dist.outside(kind, l);
                if (outside == dist.total(kind, l)) {
                    throw new Main.BadInputException(String.format(Locale.ROOT, "%s %s: all %d values lie outside [%s, %s]%s", file[kind.bondedIndex()], labels[l],
                            outside, LinePlot.num(dist.lower(kind)), LinePlot.num(dist.upper(kind)), kind == InteractionKind.BOND ? "; widen --bond-range" : ""));
                }
                ys.add(dist.density(kind, l));
                if (outside > 0) {
                    warn.printf(Locale.ROOT, "remcg: warning: %s %s: %d of %d values (%.2f %%) outside [%s, %s] (not in the density)%n", file[kind.bondedIndex()],
                            labels[l], outside, dist.total(kind, l), 100.0 * outside / dist.total(kind, l), LinePlot.num(dist.lower(kind)),
                            LinePlot.num(dist.upper(kind)));
                }
            }
            Path csv = out.resolve(file[kind.bondedIndex()] + ".csv");
            AtomicFiles.writeString(csv, RdfCommand.csv("x", "", x, names, ys));
            LinePlot.write(out.resolve(file[kind.bondedIndex()] + ".png"), "remcg dist: " + file[kind.bondedIndex()] + ", " + frames + " frames", axis[kind.bondedIndex()],
                    "probability density", x, names, ys, null);
            written.add(file[kind.bondedIndex()] + " (" + labels.length + " label" + (labels.length == 1 ? "" : "s") + ")");
        }
        log.println(sys.mapper().summary());
        log.printf(Locale.ROOT, "dist: %d frames, %s, %.2f s on %d thread%s; wrote %s%n", frames, String.join(", ", written), seconds, nThreads,
                nThreads == 1 ? "" : "s", out);
        log.flush();
        return 0;
    }

    static double[] range(String s) {
        String[] p = s.split(":");
        try {
            if (p.length == 2) {
                double a = Double.parseDouble(p[0].trim());
                double b = Double.parseDouble(p[1].trim());
                if (a >= 0 && b > a && Double.isFinite(b)) {
                    return new double[] {a, b};
                }
            }
        } catch (NumberFormatException e) {
            // fall through
        }
        throw new Main.BadInputException("--bond-range must be MIN:MAX with 0 <= MIN < MAX (nm), got '" + s + "'");
    }
}

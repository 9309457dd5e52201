package org.remcg.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.remcg.io.DataFormatException;
import org.remcg.io.TrajectoryFormatException;
import org.remcg.numeric.SampleMean;
import org.remcg.observe.BlockedAccumulator;
import org.remcg.observe.MappedAccumulator;
import org.remcg.observe.Rdf;
import org.remcg.system.CgTopology;
import org.remcg.mapping.FineSystem;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code remcg rdf}: radial distribution functions of atom types (by atom name) or, with a
 * mapping, of bead types, in one pass over a trajectory (mapping and pair counting on all worker
 * threads), written as CSV or GROMACS-style XVG with a PNG plot beside it. With {@code --blocks}
 * the frames are also kept in contiguous blocks ({@link BlockedAccumulator}) and every bin gets the
 * standard error of g from the blocks' own g ({@link SampleMean#standardErrors}), written after all
 * g columns.
 */
@Command(name = "rdf", mixinStandardHelpOptions = true,
        description = "Radial distribution functions of atom types (by atom name) or, with --mapping, of bead types.")
public final class RdfCommand extends FineInputCommand {
    @Option(names = "--mapping", converter = InputFile.class,
            description = "Mapping YAML: RDFs of bead types of the mapped frames (default: atoms typed by atom name).")
    Path mapping;
    @Option(names = "--pairs", split = ",", description = "Type pairs A-B (comma-separated); default all pairs A <= B.") List<String> pairs;
    @Option(names = "--rmax", required = true, description = "Largest distance (nm); at most half the shortest box height.") double rmax;
    @Option(names = "--bin", required = true, description = "Bin width (nm).") double bin;
    @Option(names = "--exclude-hops", defaultValue = "3",
            description = "Pairs not counted: joined by up to N bonds (N >= 0), 'all' intramolecular pairs, or 'none'. Default: ${DEFAULT-VALUE}.")
    String excludeHops;
    @Option(names = "--norm", defaultValue = "default", description = "default: g -> 1 for independent molecules (exclusion-corrected pair count), "
            + "bins [k w, (k+1) w); gromacs: as gmx rdf -norm rdf (bins centred on k w, N_A N_B ordered pairs). Default: ${DEFAULT-VALUE}.")
    String norm;
    @Option(names = "--blocks", defaultValue = "10", description = "Standard errors of g from N to 2N contiguous blocks of frames, "
            + "written after the g columns (se_A-B); 0: none. Default: ${DEFAULT-VALUE}.")
    int blocks;
    @Mixin RunOptions.Threads threads;
    @Option(names = "--out", converter = InputFile.Output.class, required = true,
            description = "Output .csv or .xvg (a .png plot is written beside it).")
    Path out;

    @Override
    Integer run(PrintWriter log, PrintWriter warn) throws IOException, DataFormatException, TrajectoryFormatException {
        if (!(rmax > 0) || !(bin > 0) || !Double.isFinite(rmax) || bin > rmax) {
            throw new Main.BadInputException("need 0 < --bin <= --rmax, got --bin " + bin + " --rmax " + rmax);
        }
        Limits.bins("--rmax / --bin (the number of bins)", (long) Math.ceil(rmax / bin - 1e-9));
        if (blocks < 0 || blocks == 1 || blocks > 1000) {
            throw new Main.BadInputException("--blocks must be 0 (no errors) or 2 to 1000, got " + blocks);
        }
        int nThreads = threads.resolve();
        boolean xvg = extension(out, "--out", ".csv", ".xvg").equals(".xvg");
        int hops = hops(excludeHops);
        boolean gromacs = switch (norm.toLowerCase(Locale.ROOT)) {
            case "default" -> false;
            case "gromacs" -> true;
            default -> throw new Main.BadInputException("--norm must be default or gromacs, got " + norm);
        };

        FineSystem sys = load(mapping, warn);
        CgTopology particles = sys.particles();
        int[][] typePairs = typePairs(particles, pairs);
        Rdf rdf = new Rdf(particles, rmax, bin, hops, typePairs, gromacs ? Rdf.Binning.GROMACS : Rdf.Binning.EDGES);
        Rdf.Normalization normalization = gromacs ? Rdf.Normalization.GROMACS : Rdf.Normalization.EXCLUSION_CORRECTED;

        long t0 = System.nanoTime();
        BlockedAccumulator<Rdf> blocked = blocks > 0 ? new BlockedAccumulator<>(rdf, blocks) : null;
        long frames = blocked != null ? in.run(sys.fine().atoms(), nThreads, new MappedAccumulator<>(sys.mapper(), blocked))
                : in.run(sys.fine().atoms(), nThreads, new MappedAccumulator<>(sys.mapper(), rdf));
        double passSeconds = (System.nanoTime() - t0) * 1e-9;
        double[] r = rdf.binCentres();
        List<String> names = new ArrayList<>();
        List<double[]> gs = new ArrayList<>();
        for (int s = 0; s < rdf.pairCount(); s++) {
            names.add(rdf.pairName(s));
            try {
                gs.add(rdf.g(s, normalization));
            } catch (IllegalStateException e) {
                throw new Main.BadInputException(e.getMessage() + " (check --pairs and --exclude-hops)");
            }
        }
        List<double[]> ses = List.of();
        String errors = "";
        if (blocked != null) {
            List<Rdf> used = blocked.errorBlocks();
            long[] lengths = blocked.blockFrames();
            if (used.size() < 2) {
                warn.printf(Locale.ROOT, "rdf: no standard errors written: %d frames make fewer than two blocks for them (blocks of %d frames, "
                        + "a last block shorter than half of that left out)%n", frames, lengths[0]);
            } else {
                ses = standardErrors(used, normalization);
                long last = lengths[used.size() - 1];
                errors = String.format(Locale.ROOT, "standard errors from %d blocks of %d frames%s", used.size(), lengths[0],
                        last == lengths[0] ? "" : " (the last " + last + ")");
            }
        }
        String text;
        if (xvg) {
            text = xvg(r, names, gs, ses, errors, frames, gromacs);
        } else {
            List<String> columns = new ArrayList<>();
            names.forEach(n -> columns.add("g_" + n));
            List<double[]> values = new ArrayList<>(gs);
            if (!ses.isEmpty()) {
                names.forEach(n -> columns.add("se_" + n));
                values.addAll(ses);
            }
            text = csv("r", "", r, columns, values);
        }
        AtomicFiles.writeString(out, text);
        Path png = LinePlot.beside(out);
        LinePlot.write(png, "remcg rdf" + (sys.mapper() != null ? " (mapped)" : "") + ": " + frames + " frames", "r (nm)", "g(r)", r, names, gs, 1.0);
        if (sys.mapper() != null) {
            log.println(sys.mapper().summary());
        }
        log.printf(Locale.ROOT, "rdf: %d frames, %d pair%s (%s), %d bins to %s nm, %.2f s on %d thread%s%s; wrote %s and %s%n", frames, names.size(),
                names.size() == 1 ? "" : "s", String.join(" ", names), rdf.bins(), LinePlot.num(rdf.rmax()), passSeconds, nThreads, nThreads == 1 ? "" : "s",
                errors.isEmpty() ? "" : "; " + errors, out, png);
        log.flush();
        return 0;
    }

    /** Per type pair, the standard error of each bin of g from the blocks' own g. */
    static List<double[]> standardErrors(List<Rdf> blocks, Rdf.Normalization normalization) {
        List<double[]> out = new ArrayList<>();
        for (int s = 0; s < blocks.get(0).pairCount(); s++) {
            List<double[]> perBlock = new ArrayList<>();
            for (Rdf b : blocks) {
                perBlock.add(b.g(s, normalization));
            }
            out.add(SampleMean.standardErrors(perBlock));
        }
        return out;
    }

    /** The lower-cased extension of {@code p}, which must be one of {@code allowed}. */
    static String extension(Path p, String option, String... allowed) {
        String name = p.getFileName().toString().toLowerCase(Locale.ROOT);
        for (String a : allowed) {
            if (name.endsWith(a)) {
                return a;
            }
        }
        throw new Main.BadInputException(option + " must end in " + String.join(" or ", allowed) + ", got " + p);
    }

    /** {@code none} = 0, {@code all} = every intramolecular pair, otherwise a number of bond hops. */
    static int hops(String s) {
        String v = s.trim().toLowerCase(Locale.ROOT);
        if (v.equals("none")) {
            return 0;
        }
        if (v.equals("all")) {
            return Integer.MAX_VALUE;
        }
        try {
            int h = Integer.parseInt(v);
            if (h >= 0) {
                return h;
            }
        } catch (NumberFormatException e) {
            // fall through
        }
        throw new Main.BadInputException("--exclude-hops must be a number >= 0, 'all' or 'none', got '" + s + "'");
    }

    /** Type-index pairs from "A-B" names (a dash inside a type name is resolved against the known types), or all pairs. */
    static int[][] typePairs(CgTopology top, List<String> names) {
        if (names == null || names.isEmpty()) {
            return null;
        }
        List<int[]> out = new ArrayList<>();
        for (String raw : names) {
            String name = raw.trim();
            int[] found = null;
            int matches = 0;
            for (int k = name.indexOf('-'); k > 0; k = name.indexOf('-', k + 1)) {
                int a = top.typeIndex(name.substring(0, k));
                int b = top.typeIndex(name.substring(k + 1));
                if (a >= 0 && b >= 0) {
                    found = new int[] {a, b};
                    matches++;
                }
            }
            if (matches != 1) {
                throw new Main.BadInputException("--pairs: " + (matches == 0 ? "cannot read '" + name + "' as two known types A-B" : "'" + name + "' is ambiguous")
                        + "; types are " + String.join(", ", top.typeNames()));
            }
            for (int[] p : out) {
                if (Math.min(p[0], p[1]) == Math.min(found[0], found[1]) && Math.max(p[0], p[1]) == Math.max(found[0], found[1])) {
                    throw new Main.BadInputException("--pairs: " + name + " given twice");
                }
            }
            out.add(found);
        }
        return out.toArray(new int[0][]);
    }

    /** Columns {@code xName,<prefix><name>,...}, one row per grid point. */
    static String csv(String xName, String prefix, double[] x, List<String> names, List<double[]> ys) {
        StringBuilder sb = new StringBuilder(xName);
        for (String n : names) {
            sb.append(',').append(prefix).append(n);
        }
        sb.append('\n');
        for (int k = 0; k < x.length; k++) {
            sb.append(LinePlot.num(x[k]));
            for (double[] y : ys) {
                sb.append(',').append(LinePlot.num(y[k]));
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    /** g sets s0 .. s(P-1), then (when {@code ses} is not empty) their standard errors as sets sP .. s(2P-1). */
    private String xvg(double[] r, List<String> names, List<double[]> gs, List<double[]> ses, String errors, long frames, boolean gromacs) {
        StringBuilder sb = new StringBuilder();
        sb.append("# written by remcg rdf from ").append(in.traj.getFileName()).append(", ").append(frames).append(" frames\n");
        sb.append("# normalization: ").append(gromacs ? "gromacs (as gmx rdf -norm rdf; bins centred on k w)" : "default (exclusion-corrected; bins [k w, (k+1) w), r = bin centre)")
                .append(", exclusions: ").append(excludeHops).append('\n');
        if (!ses.isEmpty()) {
            sb.append("# sets s").append(names.size()).append("..s").append(2 * names.size() - 1).append(" (legends \"se A-B\"): ")
                    .append(errors).append(", per bin, for the g sets in their order\n");
        }
        sb.append("@    title \"Radial distribution\"\n");
        sb.append("@    xaxis  label \"r (nm)\"\n");
        sb.append("@    yaxis  label \"g(r)\"\n");
        sb.append("@TYPE xy\n");
        sb.append("@ legend on\n");
        for (int s = 0; s < names.size(); s++) {
            sb.append("@ s").append(s).append(" legend \"").append(names.get(s)).append("\"\n");
        }
        for (int s = 0; s < ses.size(); s++) {
            sb.append("@ s").append(names.size() + s).append(" legend \"se ").append(names.get(s)).append("\"\n");
        }
        for (int k = 0; k < r.length; k++) {
            sb.append(String.format(Locale.ROOT, "%12.6f", r[k]));
            for (double[] g : gs) {
                sb.append(String.format(Locale.ROOT, " %12.6f", g[k]));
            }
            for (double[] se : ses) {
                sb.append(String.format(Locale.ROOT, " %12.6f", se[k]));
            }
            sb.append('\n');
        }
        return sb.toString();
    }
}

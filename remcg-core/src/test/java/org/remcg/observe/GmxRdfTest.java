package org.remcg.observe;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.remcg.io.Frame;
import org.remcg.io.GroWriter;
import org.remcg.io.XtcReader;
import org.remcg.io.XtcWriter;
import org.remcg.system.Box;
import org.remcg.io.IoTesting;
import org.remcg.system.CgTopology;
import org.remcg.system.Topology;
import org.remcg.testing.Peers;

/** The GROMACS normalization against the installed {@code gmx rdf} on the same XTC file. */
class GmxRdfTest {
    @TempDir
    Path dir;

    @Test
    void gromacsNormalizationReproducesGmxRdf() throws Exception {
        Peers.gmx();
        int na = 200;
        int nb = 100;
        int n = na + nb;
        CgTopology top = Fluids.atoms(na, nb);
        String[] names = new String[n];
        String[] res = new String[n];
        int[] resnr = new int[n];
        double[] mass = new double[n];
        for (int i = 0; i < n; i++) {
            names[i] = i < na ? "A" : "B";
            res[i] = names[i];
            resnr[i] = i + 1;
            mass[i] = 1;
        }
        Topology gro = new Topology(names, res, resnr, mass);
        SplittableRandom rnd = new SplittableRandom(12);
        // box volume changes by up to 30 % between frames: gmx averages N/V over frames, as we do
        Box[] boxes = {Box.orthorhombic(3.0, 3.1, 3.2), Box.orthorhombic(3.3, 3.4, 3.5), Box.triclinic(3.2, 0.8, 3.1, -0.9, 1.2, 3.0),
            Box.orthorhombic(3.1, 3.0, 3.3)};
        try (XtcWriter w = new XtcWriter(dir.resolve("t.xtc")); GroWriter g = new GroWriter(dir.resolve("c.gro"), gro)) {
            for (int t = 0; t < boxes.length; t++) {
                Frame f = Fluids.uniform(n, boxes[t], rnd, t);
                f.step = t;
                f.time = t;
                w.write(f);
                if (t == 0) {
                    g.write(f);
                }
            }
        }
        IoTesting.run(dir, "gmx", "-quiet", "rdf", "-f", "t.xtc", "-s", "c.gro", "-ref", "name A", "-sel", "name A", "name B", "-bin", "0.02", "-rmax",
                "1.4", "-xvg", "none", "-o", "rdf.xvg");
        List<double[]> rows = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve("rdf.xvg"))) {
            String s = line.trim();
            if (!s.isEmpty()) {
                String[] parts = s.split("\\s+");
                double[] v = new double[parts.length];
                for (int k = 0; k < v.length; k++) {
                    v[k] = Double.parseDouble(parts[k]);
                }
                rows.add(v);
            }
        }
        // our RDF on the frames as stored in the XTC (the coordinates gmx sees)
        Rdf rdf = new Rdf(top, 1.4, 0.02, 0, null, Rdf.Binning.GROMACS);
        try (XtcReader r = XtcReader.open(dir.resolve("t.xtc"))) {
            Frame f = new Frame();
            while (r.next(f)) {
                rdf.accept(f);
            }
        }
        assertEquals(4, rdf.frames());
        double[] centres = rdf.binCentres();
        double[] aa = rdf.g(rdf.slot(0, 0), Rdf.Normalization.GROMACS);
        double[] ab = rdf.g(rdf.slot(0, 1), Rdf.Normalization.GROMACS);
        double[] aaDistinct = rdf.g(rdf.slot(0, 0), Rdf.Normalization.DISTINCT_PAIRS);
        assertEquals(rdf.bins(), rows.size(), "gmx bins");
        int matched = 0;
        for (int k = 0; k < rdf.bins(); k++) {
            double[] row = rows.get(k);
            // gmx rdf centres bin k on k w: [(k - 1/2) w, (k + 1/2) w), and prints k w
            assertEquals(centres[k], row[0], 1e-6, "bin " + k);
            // gmx prints 3 decimals and works in single precision: a pair within ~1e-7 nm of a bin
            // edge may land in the neighbouring bin. Allow rounding plus one pair per bin.
            double oneAA = 2 / (rdf.idealPairs(0, Rdf.Normalization.GROMACS) * rdf.inverseVolumeSum() * rdf.shellVolume(k));
            double oneAB = 1 / (rdf.idealPairs(1, Rdf.Normalization.GROMACS) * rdf.inverseVolumeSum() * rdf.shellVolume(k));
            assertEquals(row[1], aa[k], oneAA + 5.01e-4, "g_AA bin " + k);
            assertEquals(row[2], ab[k], oneAB + 5.01e-4, "g_AB bin " + k);
            if (Math.abs(row[1] - aa[k]) <= 5.01e-4 && Math.abs(row[2] - ab[k]) <= 5.01e-4) {
                matched++;
            }
        }
        // nearly all bins agree to the printed digits (a float bin flip is rare)
        assertTrue(matched >= rdf.bins() - 3, "only " + matched + " of " + rdf.bins() + " bins agree");
        // and the like-pair difference from the distinct-pairs form is visible: (N-1)/N = 0.995
        assertEquals((na - 1.0) / na, aa[40] / aaDistinct[40], 1e-12);
    }
}

package org.remcg.io;

import static org.remcg.units.Units.ANGSTROM_PER_NM;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.remcg.system.Box;
import org.remcg.system.Topology;

/**
 * Writes frames as extended XYZ: the atom count, a comment line
 * {@code [Lattice="ax ay az bx by bz cx cy cz"] Properties=species:S:1:pos:R:3 [pbc="T T T"] [time=<ps>] [step=<n>]}
 * and one line {@code name x y z} per atom, positions and cell in Angstrom with 8 decimals. The
 * Lattice (and pbc) appear only for frames with a box, time and step only when the time is known.
 * Names come from the topology (blanks replaced by '_'; empty names become "X"), or are all "X"
 * without one.
 *
 * <p>Output goes to a temporary file beside the target, moved into place by {@link #close}; if a
 * write failed, close deletes the temporary file and leaves the target untouched.
 */
public final class XyzWriter implements TrajectoryWriter {

    private static final int DECIMALS = 8;
    private static final byte[] X = {'X'};
    /** Room for one formatted number with its separator (the largest finite double has 309 digits). */
    private static final int MAX_NUMBER = 340;

    private final GroWriter.AtomicOutput out;
    /** Names per atom, or null: every atom is "X" (and any atom count is accepted). */
    private final byte[][] names;
    private byte[] line = new byte[3 * MAX_NUMBER + 64];

    /** A writer naming every atom "X". */
    public XyzWriter(Path target) throws IOException {
        this(target, null);
    }

    /** A writer taking atom names from {@code topology} (null: all "X"). */
    public XyzWriter(Path target, Topology topology) throws IOException {
        if (topology != null) {
            names = new byte[topology.atoms()][];
            for (int i = 0; i < names.length; i++) {
                String s = topology.atomName(i).strip().replaceAll("\\s+", "_");
                names[i] = s.isEmpty() ? X : s.getBytes(StandardCharsets.UTF_8);
            }
        } else {
            names = null;
        }
        out = new GroWriter.AtomicOutput(target);
    }

    @Override
    public void write(Frame frame) throws IOException {
        out.write(() -> writeFrame(frame));
    }

    private void writeFrame(Frame frame) throws IOException {
        int n = frame.atoms;
        if (names != null && names.length != n) {
            throw new IllegalArgumentException("frame " + frame.index + " has " + n + " atoms, the topology " + names.length);
        }
        OutputStream os = out.stream;
        StringBuilder head = new StringBuilder();
        head.append(n).append('\n');
        Box box = frame.box;
        if (box != null) {
            double[] m = box.matrix();
            byte[] b = new byte[9 * MAX_NUMBER];
            int p = 0;
            for (int k = 0; k < 9; k++) {
                if (k > 0) {
                    b[p++] = ' ';
                }
                p = GroWriter.fixed(b, p, 0, DECIMALS, m[k] * ANGSTROM_PER_NM);
            }
            head.append("Lattice=\"").append(new String(b, 0, p, StandardCharsets.US_ASCII)).append("\" ");
        }
        head.append("Properties=species:S:1:pos:R:3");
        if (box != null) {
            head.append(" pbc=\"T T T\"");
        }
        if (frame.time == frame.time) {
            head.append(" time=").append(GroWriter.plain(frame.time)).append(" step=").append(frame.step);
        }
        head.append('\n');
        os.write(head.toString().getBytes(StandardCharsets.UTF_8));
        double[] x = frame.x;
        for (int i = 0; i < n; i++) {
            byte[] name = names == null ? X : names[i];
            if (line.length < name.length + 3 * MAX_NUMBER + 1) {
                line = new byte[name.length + 3 * MAX_NUMBER + 1];
            }
            byte[] b = line;
            System.arraycopy(name, 0, b, 0, name.length);
            int p = name.length;
            int o = 3 * i;
            try {
                for (int k = 0; k < 3; k++) {
                    b[p++] = ' ';
                    p = GroWriter.fixed(b, p, 0, DECIMALS, x[o + k] * ANGSTROM_PER_NM);
                }
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("frame " + frame.index + ", atom " + (i + 1) + ": " + e.getMessage(), e);
            }
            b[p++] = '\n';
            os.write(b, 0, p);
        }
    }

    /** Moves the file into place (or deletes it when a write failed). */
    @Override
    public void close() throws IOException {
        out.close();
    }
}

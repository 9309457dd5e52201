package org.remcg.io;

import static org.remcg.units.Units.ANGSTROM_PER_NM;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.remcg.system.Box;
import org.remcg.system.CgTopology;

/**
 * Reads the LAMMPS data files that {@link LammpsDataWriter} writes (units real: Angstrom, g/mol):
 * the counts header, box bounds (with {@code xy xz yz} tilts), {@code Masses}, {@code Atoms}
 * (style full {@code id mol type q x y z} or atomic {@code id type x y z}, told apart by the
 * section comment or else the column count), {@code Velocities} (skipped), {@code Bonds},
 * {@code Angles}, {@code Dihedrals}. Bead type names are the LAMMPS type numbers as text
 * ("1", "2", ...); a bonded term's label is its LAMMPS type number. Positions are returned in nm.
 */
public final class LammpsDataReader {

    /** A configuration with its topology. */
    public record Data(CgTopology topology, Box box, double[] positions) {
    }

    private LammpsDataReader() {
    }

    public static Data read(Path file) throws IOException, DataFormatException {
        // byte for byte: the format is ASCII, and any other byte is then reported where it stands, not as a decoding error
        List<String> lines = Files.readAllLines(file, StandardCharsets.ISO_8859_1);
        int atoms = -1;
        double[] lo = new double[3];
        double[] hi = new double[3];
        double xy = 0;
        double xz = 0;
        double yz = 0;
        int i = 1; // skip the title line
        // header
        for (; i < lines.size(); i++) {
            String s = strip(lines.get(i));
            if (s.isEmpty()) {
                continue;
            }
            String[] f = s.split("\\s+");
            if (Character.isLetter(s.charAt(0))) {
                break; // first section
            }
            try {
                if (s.endsWith(" atoms")) {
                    atoms = Integer.parseInt(f[0]);
                } else if (s.endsWith("xlo xhi") || s.endsWith("ylo yhi") || s.endsWith("zlo zhi")) {
                    int d = s.endsWith("xlo xhi") ? 0 : s.endsWith("ylo yhi") ? 1 : 2;
                    lo[d] = Double.parseDouble(f[0]);
                    hi[d] = Double.parseDouble(f[1]);
                } else if (s.endsWith("xy xz yz")) {
                    xy = Double.parseDouble(f[0]);
                    xz = Double.parseDouble(f[1]);
                    yz = Double.parseDouble(f[2]);
                }
            } catch (NumberFormatException e) {
                throw new DataFormatException(file, i + 1, "expected numbers in the header line '" + s + "'");
            }
        }
        if (atoms <= 0) {
            throw new DataFormatException(file, 0, "no 'N atoms' line in the header");
        }
        if (atoms > lines.size()) {
            throw new DataFormatException(file, 0, "the header promises " + atoms + " atoms but the file has only " + lines.size() + " lines");
        }
        Map<Integer, Double> massOfType = new HashMap<>();
        int[] type = new int[atoms];
        int[] mol = new int[atoms];
        double[] x = new double[3 * atoms];
        boolean[] seen = new boolean[atoms];
        int[][] bonded = new int[3][];
        int[][] bondedType = new int[3][];
        while (i < lines.size()) {
            String head = lines.get(i).trim();
            if (head.isEmpty()) {
                i++;
                continue;
            }
            String name = strip(head).trim();
            String comment = head.contains("#") ? head.substring(head.indexOf('#') + 1).trim() : "";
            i++;
            // skip the blank line(s) after the section name, then read rows until a blank line or the next section
            while (i < lines.size() && lines.get(i).trim().isEmpty()) {
                i++;
            }
            int first = i;
            while (i < lines.size() && !lines.get(i).trim().isEmpty() && !Character.isLetter(lines.get(i).trim().charAt(0))) {
                i++;
            }
            List<String> rows = lines.subList(first, i);
            try {
                switch (name) {
                    case "Masses" -> {
                        for (int k = 0; k < rows.size(); k++) {
                            String[] f = strip(rows.get(k)).split("\\s+");
                            int t = Integer.parseInt(f[0]);
                            if (t < 0) {
                                throw new DataFormatException(file, first + k + 1, "atom type " + t + " is negative");
                            }
                            massOfType.put(t, Double.parseDouble(f[1]));
                        }
                    }
                    case "Atoms" -> {
                        if (rows.size() != atoms) {
                            throw new DataFormatException(file, first + 1, "Atoms section has " + rows.size() + " rows, the header says " + atoms);
                        }
                        for (int k = 0; k < rows.size(); k++) {
                            String[] f = strip(rows.get(k)).split("\\s+");
                            boolean full = comment.equals("full") || (!comment.equals("atomic") && f.length >= 7);
                            int id = Integer.parseInt(f[0]) - 1;
                            if (id < 0 || id >= atoms || seen[id]) {
                                throw new DataFormatException(file, first + k + 1, "atom id " + (id + 1) + " is out of range or repeated");
                            }
                            seen[id] = true;
                            int c = full ? 4 : 2;
                            mol[id] = full ? Integer.parseInt(f[1]) : id + 1;
                            type[id] = Integer.parseInt(f[full ? 2 : 1]);
                            for (int d = 0; d < 3; d++) {
                                x[3 * id + d] = Double.parseDouble(f[c + d]) / ANGSTROM_PER_NM;
                            }
                        }
                    }
                    case "Velocities" -> {
                    }
                    case "Bonds", "Angles", "Dihedrals" -> {
                        int kind = name.equals("Bonds") ? 0 : name.equals("Angles") ? 1 : 2;
                        int per = kind + 2;
                        bonded[kind] = new int[rows.size() * per];
                        bondedType[kind] = new int[rows.size()];
                        for (int k = 0; k < rows.size(); k++) {
                            String[] f = strip(rows.get(k)).split("\\s+");
                            bondedType[kind][k] = Integer.parseInt(f[1]);
                            for (int q = 0; q < per; q++) {
                                int a = Integer.parseInt(f[2 + q]) - 1;
                                if (a < 0 || a >= atoms) {
                                    throw new DataFormatException(file, first + k + 1, "atom " + (a + 1) + " is not in 1.." + atoms);
                                }
                                for (int p = 0; p < q; p++) {
                                    if (bonded[kind][k * per + p] == a) {
                                        throw new DataFormatException(file, first + k + 1, "atom " + (a + 1) + " appears twice in the row");
                                    }
                                }
                                bonded[kind][k * per + q] = a;
                            }
                        }
                    }
                    default -> throw new DataFormatException(file, first, "unknown section '" + name + "'");
                }
            } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
                throw new DataFormatException(file, first + 1, "malformed row in section " + name + " (" + e.getMessage() + ")");
            }
        }
        // molecules must be contiguous for CgTopology; order atoms as given (LammpsDataWriter writes them contiguously)
        CgTopology.Builder b = new CgTopology.Builder();
        for (int a = 0; a < atoms; a++) {
            if (!seen[a]) {
                throw new DataFormatException(file, 0, "atom " + (a + 1) + " is missing from the Atoms section");
            }
            if (a == 0 || mol[a] != mol[a - 1]) {
                b.molecule();
            }
            Double mass = massOfType.get(type[a]);
            if (mass == null || !(mass > 0)) {
                throw new DataFormatException(file, 0, "atom type " + type[a] + " has no mass in the Masses section");
            }
            b.particle(String.valueOf(type[a]), String.valueOf(type[a]), mass);
        }
        if (bonded[0] != null) {
            for (int k = 0; k < bondedType[0].length; k++) {
                b.bond(bonded[0][2 * k], bonded[0][2 * k + 1], String.valueOf(bondedType[0][k]));
            }
        }
        if (bonded[1] != null) {
            for (int k = 0; k < bondedType[1].length; k++) {
                b.angle(bonded[1][3 * k], bonded[1][3 * k + 1], bonded[1][3 * k + 2], String.valueOf(bondedType[1][k]));
            }
        }
        if (bonded[2] != null) {
            for (int k = 0; k < bondedType[2].length; k++) {
                b.dihedral(bonded[2][4 * k], bonded[2][4 * k + 1], bonded[2][4 * k + 2], bonded[2][4 * k + 3], String.valueOf(bondedType[2][k]));
            }
        }
        for (int a = 0; a < atoms; a++) {
            for (int d = 0; d < 3; d++) {
                x[3 * a + d] -= lo[d] / ANGSTROM_PER_NM;
            }
        }
        Box box;
        try {
            box = Box.triclinic((hi[0] - lo[0]) / ANGSTROM_PER_NM, xy / ANGSTROM_PER_NM, (hi[1] - lo[1]) / ANGSTROM_PER_NM, xz / ANGSTROM_PER_NM,
                    yz / ANGSTROM_PER_NM, (hi[2] - lo[2]) / ANGSTROM_PER_NM);
        } catch (IllegalArgumentException e) {
            throw new DataFormatException(file, 0, e.getMessage());
        }
        return new Data(b.build(), box, x);
    }

    private static String strip(String s) {
        int h = s.indexOf('#');
        return (h >= 0 ? s.substring(0, h) : s).trim();
    }
}

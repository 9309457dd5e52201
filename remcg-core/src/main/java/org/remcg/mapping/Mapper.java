package org.remcg.mapping;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.remcg.io.Frame;
import org.remcg.system.Box;
import org.remcg.system.CgTopology;
import org.remcg.system.Molecules;
import org.remcg.system.Topology;

/**
 * Maps fine-grained frames to coarse-grained ones: every bead is a weighted centre of its atoms.
 *
 * <p><b>Molecules.</b> A mapped unit is a residue of the fine topology whose name the mapping
 * lists (consecutive atoms with the same residue number and name), or, when a {@link Molecules}
 * layout from a GROMACS topology is given, a whole molecule whose molecule type name the mapping
 * lists (it may span several residues; atom names can then be qualified as {@code k:NAME}, k the
 * 1-based residue within the molecule). Each mapped unit becomes one CG molecule. Residues that
 * belong to no mapped unit are dropped and counted by name ({@link #droppedResidues()}).
 *
 * <p><b>Periodic boundaries.</b> Each unit is first made whole: walking its atoms in file order,
 * every atom is placed at the minimum image of its displacement from the previous atom (already
 * placed). This needs only that consecutive atoms of a molecule be closer than half the box
 * (true for bonded neighbours in any sensible file order), so chains longer than half the box
 * are handled. A molecule whose file order jumps by more than half a box between consecutive
 * atoms is not. The bead positions, not the atoms, are then put back into the primary cell, the
 * brick 0 &lt;= x &lt; a_x, 0 &lt;= y &lt; b_y, 0 &lt;= z &lt; c_z (shifting by c, then b, then a, as
 * GROMACS puts atoms into a triclinic box; for a rectangular box this is the box itself).
 * Frames without a box are not wrapped.
 *
 * <p><b>Forces.</b> When the fine frame has forces, a bead's force is the sum of its atoms'
 * forces. With normalized weights and every atom in at most one bead (checked), this is the
 * force whose average given the CG configuration is the mean force on the bead (the mapped force
 * of force matching). It is not when atoms of different beads are held by constraints, since
 * trajectories store forces without the constraint forces. Velocities are not mapped.
 *
 * <p>The mapper is immutable after construction: {@link #map} may run concurrently on different
 * frames. It allocates nothing per frame once the output frame has its arrays.
 */
public final class Mapper {

    /**
     * Which fine atoms make which bead: the fine atom ranges walked per unit (unit start to the last atom in a bead), the bead
     * of each fine atom (-1: none) and its normalized weight in its bead (0 when in none).
     */
    private record AtomLayout(int[] unitStart, int[] unitEnd, int[] atomBead, double[] atomWeight) {
    }

    /** What the mapping covered: mapped molecules and dropped residues, count per name, and the atoms in dropped residues. */
    private record Coverage(Map<String, Integer> mapped, Map<String, Integer> dropped, int droppedAtoms) {
    }

    private final AtomLayout layout;
    private final CgTopology cgTopology;
    private final Topology cgStructure;
    private final Coverage coverage;
    private final int fineAtoms;
    private final int beads;

    private static final ThreadLocal<double[]> SCRATCH = ThreadLocal.withInitial(() -> new double[3]);

    private Mapper(AtomLayout layout, CgTopology cgTopology, Topology cgStructure, Coverage coverage) {
        this.layout = layout;
        this.cgTopology = cgTopology;
        this.cgStructure = cgStructure;
        this.coverage = coverage;
        fineAtoms = layout.atomBead().length;
        beads = cgTopology.size();
    }

    /** A mapper over residues (no molecule layout). */
    public static Mapper build(Topology fine, MappingSpec spec) {
        return build(fine, null, spec);
    }

    /**
     * Checks the mapping against the fine topology and prepares it.
     *
     * @param fine      the fine atoms; masses are needed for mass weights
     * @param molecules the molecules of a GROMACS topology, or null to map residues only
     * @throws IllegalArgumentException for a mapping that does not fit: molecules or atom names
     *                                  that do not occur (named), an atom in two beads, weights of the wrong length, unknown bead
     *                                  names in bonded terms, mass weights without masses
     */
    public static Mapper build(Topology fine, Molecules molecules, MappingSpec spec) {
        int n = fine.atoms();
        if (molecules != null && molecules.atoms() != n) {
            throw new IllegalArgumentException("the molecule layout has " + molecules.atoms() + " atoms but the structure " + n);
        }
        Map<String, Integer> specIndex = new HashMap<>();
        List<Template> templates = new ArrayList<>();
        for (MoleculeSpec ms : spec.molecules()) {
            if (ms.name() == null || ms.name().isBlank()) {
                throw new IllegalArgumentException("a mapped molecule has no name");
            }
            if (specIndex.put(ms.name(), templates.size()) != null) {
                throw new IllegalArgumentException("molecule " + ms.name() + " is mapped twice");
            }
            templates.add(new Template(ms));
        }
        if (templates.isEmpty()) {
            throw new IllegalArgumentException("the mapping lists no molecules");
        }

        // ---- find the units: whole molecules by type name, else residues by residue name
        List<int[]> units = new ArrayList<>(); // {start, end, spec}
        Map<String, Integer> dropped = new LinkedHashMap<>();
        int[] droppedAtoms = {0};
        Set<String> residueNames = new TreeSet<>();
        Set<String> moleculeNames = new TreeSet<>();
        if (molecules == null) {
            residues(fine, 0, n, specIndex, units, dropped, droppedAtoms, residueNames);
        } else {
            for (int m = 0; m < molecules.count(); m++) {
                moleculeNames.add(molecules.name(m));
                Integer s = specIndex.get(molecules.name(m));
                if (s != null) {
                    if (molecules.end(m) > molecules.start(m)) {
                        units.add(new int[] {molecules.start(m), molecules.end(m), s});
                    }
                    for (int a = molecules.start(m); a < molecules.end(m); a++) {
                        residueNames.add(fine.residueName(a));
                    }
                } else {
                    residues(fine, molecules.start(m), molecules.end(m), specIndex, units, dropped, droppedAtoms, residueNames);
                }
            }
        }
        boolean[] used = new boolean[templates.size()];
        for (int[] u : units) {
            used[u[2]] = true;
        }
        List<String> missing = new ArrayList<>();
        for (int s = 0; s < used.length; s++) {
            if (!used[s]) {
                missing.add(templates.get(s).spec.name());
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("the mapping names molecules that do not occur in the structure: " + String.join(", ", missing)
                    + "; residue names present: " + residueNames + (molecules != null ? ", molecule types: " + moleculeNames : ""));
        }

        // ---- resolve atoms unit by unit
        int[] atomBead = new int[n];
        Arrays.fill(atomBead, -1);
        double[] atomWeight = new double[n];
        int totalBeads = 0;
        for (int[] u : units) {
            totalBeads += templates.get(u[2]).beads();
        }
        int[] unitStart = new int[units.size()];
        int[] unitEnd = new int[units.size()];
        double[] beadMass = new double[totalBeads];
        CgTopology.Builder cg = new CgTopology.Builder();
        String[] cgNames = new String[totalBeads];
        String[] cgResidues = new String[totalBeads];
        int[] cgNumbers = new int[totalBeads];
        Map<String, Integer> mappedCounts = new LinkedHashMap<>();
        int bead = 0;
        for (int k = 0; k < units.size(); k++) {
            int[] u = units.get(k);
            Template t = templates.get(u[2]);
            int[][] atoms = t.resolve(fine, u[0], u[1]);
            cg.molecule();
            int first = bead;
            int last = u[0];
            for (int b = 0; b < atoms.length; b++) {
                BeadSpec bs = t.spec.beads().get(b);
                double[] w = new double[atoms[b].length];
                double mass = 0;
                for (int j = 0; j < w.length; j++) {
                    int a = atoms[b][j];
                    if (atomBead[a] >= 0) {
                        throw new IllegalArgumentException("molecule " + t.spec.name() + ": atom " + fine.atomName(a) + " (atom " + (a + 1)
                                + ") is in two beads, " + cgNames[atomBead[a]] + " and " + bs.name());
                    }
                    atomBead[a] = bead;
                    last = Math.max(last, a);
                    mass += fine.mass(a);
                    if (bs.weights() instanceof Weights.Mass) {
                        double am = fine.mass(a);
                        if (!(am >= 0) || Double.isInfinite(am)) {
                            throw new IllegalArgumentException("bead " + bs.name() + " of " + t.spec.name() + " is weighted by mass but atom "
                                    + fine.atomName(a) + " (atom " + (a + 1) + ") has no known mass; give masses (a topology) or use geometry weights");
                        }
                        w[j] = am;
                    } else if (bs.weights() instanceof Weights.Explicit e) {
                        w[j] = e.values()[j];
                    } else {
                        w[j] = 1.0;
                    }
                }
                double sum = 0;
                for (double x : w) {
                    sum += x;
                }
                if (!(sum > 0)) {
                    throw new IllegalArgumentException("bead " + bs.name() + " of " + t.spec.name() + ": its weights sum to " + sum + ", not a positive number");
                }
                for (int j = 0; j < w.length; j++) {
                    atomWeight[atoms[b][j]] = w[j] / sum;
                }
                beadMass[bead] = mass;
                cgNames[bead] = bs.name();
                cgResidues[bead] = t.spec.name();
                cgNumbers[bead] = k + 1;
                cg.particle(bs.name(), bs.type(), mass);
                bead++;
            }
            t.addBonded(cg, first);
            unitStart[k] = u[0];
            unitEnd[k] = last + 1;
            mappedCounts.merge(t.spec.name(), 1, Integer::sum);
        }
        Topology cgStructure = new Topology(cgNames, cgResidues, cgNumbers, beadMass);
        return new Mapper(new AtomLayout(unitStart, unitEnd, atomBead, atomWeight), cg.build(), cgStructure,
                new Coverage(Collections.unmodifiableMap(mappedCounts), Collections.unmodifiableMap(dropped), droppedAtoms[0]));
    }

    /** Splits [from, to) into residues; mapped ones become units, the others are counted as dropped. */
    private static void residues(Topology fine, int from, int to, Map<String, Integer> specIndex, List<int[]> units, Map<String, Integer> dropped,
            int[] droppedAtoms, Set<String> residueNames) {
        int i = from;
        while (i < to) {
            int j = i + 1;
            while (j < to && fine.residueNumber(j) == fine.residueNumber(i) && fine.residueName(j).equals(fine.residueName(i))) {
                j++;
            }
            String name = fine.residueName(i).strip();
            residueNames.add(name);
            Integer s = specIndex.get(name);
            if (s != null) {
                units.add(new int[] {i, j, s});
            } else {
                dropped.merge(name, 1, Integer::sum);
                droppedAtoms[0] += j - i;
            }
            i = j;
        }
    }

    /** A checked molecule spec with its bonded terms as bead indices, and a cache of the last atom layout seen. */
    private static final class Template {
        final MoleculeSpec spec;
        final int[][] bonded; // per kind (0 bonds, 1 angles, 2 dihedrals): flat tuples of bead indices
        final String[][] labels;
        // atom layout of the last resolved unit: names in order and the offsets of each bead's atoms
        String[] lastNames;
        int[][] lastOffsets;

        Template(MoleculeSpec ms) {
            this.spec = ms;
            if (ms.beads().isEmpty()) {
                throw new IllegalArgumentException("molecule " + ms.name() + " has no beads");
            }
            Map<String, Integer> beadIndex = new HashMap<>();
            Map<String, String> atomOwner = new HashMap<>();
            for (int b = 0; b < ms.beads().size(); b++) {
                BeadSpec bs = ms.beads().get(b);
                if (bs.name() == null || bs.name().isBlank() || bs.type() == null || bs.type().isBlank()) {
                    throw new IllegalArgumentException("molecule " + ms.name() + ": bead " + (b + 1) + " needs a name and a type");
                }
                if (beadIndex.put(bs.name(), b) != null) {
                    throw new IllegalArgumentException("molecule " + ms.name() + ": bead name " + bs.name() + " is used twice");
                }
                if (bs.atoms().isEmpty()) {
                    throw new IllegalArgumentException("molecule " + ms.name() + ": bead " + bs.name() + " has no atoms");
                }
                for (String a : bs.atoms()) {
                    String prev = atomOwner.put(a, bs.name());
                    if (prev != null) {
                        throw new IllegalArgumentException("molecule " + ms.name() + ": atom " + a + " is listed in " + (prev.equals(bs.name())
                                ? "bead " + prev + " twice" : "two beads, " + prev + " and " + bs.name()));
                    }
                }
                if (bs.weights() instanceof Weights.Explicit e) {
                    double[] v = e.values();
                    if (v.length != bs.atoms().size()) {
                        throw new IllegalArgumentException("molecule " + ms.name() + ": bead " + bs.name() + " has " + bs.atoms().size() + " atoms but "
                                + v.length + " weights");
                    }
                    for (double x : v) {
                        if (!(x >= 0) || Double.isInfinite(x)) {
                            throw new IllegalArgumentException("molecule " + ms.name() + ": bead " + bs.name() + " has weight " + x
                                    + "; weights must be finite and non-negative");
                        }
                    }
                }
            }
            List<List<List<String>>> kinds = List.of(ms.bonds(), ms.angles(), ms.dihedrals());
            String[] kindName = {"bond", "angle", "dihedral"};
            bonded = new int[3][];
            labels = new String[3][];
            for (int kind = 0; kind < 3; kind++) {
                int size = kind + 2;
                List<List<String>> tuples = kinds.get(kind);
                int[] flat = new int[size * tuples.size()];
                String[] lab = new String[tuples.size()];
                for (int q = 0; q < tuples.size(); q++) {
                    List<String> tup = tuples.get(q);
                    if (tup.size() != size) {
                        throw new IllegalArgumentException("molecule " + ms.name() + ": a " + kindName[kind] + " names " + size + " beads, got "
                                + tup);
                    }
                    int[] idx = new int[size];
                    String[] types = new String[size];
                    for (int p = 0; p < size; p++) {
                        Integer b = beadIndex.get(tup.get(p));
                        if (b == null) {
                            throw new IllegalArgumentException("molecule " + ms.name() + ": " + kindName[kind] + " " + tup + " names bead "
                                    + tup.get(p) + ", which the molecule does not have (beads: " + beadIndex.keySet() + ")");
                        }
                        idx[p] = b;
                        types[p] = ms.beads().get(b).type();
                    }
                    if (new HashSet<>(tup).size() != size) {
                        throw new IllegalArgumentException("molecule " + ms.name() + ": " + kindName[kind] + " " + tup + " names a bead twice");
                    }
                    boolean flip = reversedFirst(types);
                    for (int p = 0; p < size; p++) {
                        flat[size * q + p] = idx[flip ? size - 1 - p : p];
                    }
                    lab[q] = label(types);
                }
                bonded[kind] = flat;
                labels[kind] = lab;
            }
        }

        int beads() {
            return spec.beads().size();
        }

        void addBonded(CgTopology.Builder cg, int first) {
            int[] b = bonded[0];
            for (int q = 0; q < labels[0].length; q++) {
                cg.bond(first + b[2 * q], first + b[2 * q + 1], labels[0][q]);
            }
            int[] a = bonded[1];
            for (int q = 0; q < labels[1].length; q++) {
                cg.angle(first + a[3 * q], first + a[3 * q + 1], first + a[3 * q + 2], labels[1][q]);
            }
            int[] d = bonded[2];
            for (int q = 0; q < labels[2].length; q++) {
                cg.dihedral(first + d[4 * q], first + d[4 * q + 1], first + d[4 * q + 2], first + d[4 * q + 3], labels[2][q]);
            }
        }

        /** The atom indices of each bead in the unit [from, to). */
        int[][] resolve(Topology fine, int from, int to) {
            int len = to - from;
            if (lastNames != null && lastNames.length == len) {
                boolean same = true;
                for (int i = 0; i < len && same; i++) {
                    same = lastNames[i].equals(fine.atomName(from + i).strip());
                }
                if (same) {
                    return shifted(lastOffsets, from);
                }
            }
            // names (and residue-qualified names k:NAME) to atom offsets; -1 marks a name used twice
            Map<String, Integer> plain = new HashMap<>();
            Map<String, Integer> qualified = new HashMap<>();
            String[] names = new String[len];
            int residue = 0;
            for (int i = 0; i < len; i++) {
                int a = from + i;
                if (i == 0 || fine.residueNumber(a) != fine.residueNumber(a - 1) || !fine.residueName(a).equals(fine.residueName(a - 1))) {
                    residue++;
                }
                names[i] = fine.atomName(a).strip();
                plain.merge(names[i], i, (x, y) -> -1);
                qualified.merge(residue + ":" + names[i], i, (x, y) -> -1);
            }
            List<String> notFound = new ArrayList<>();
            List<String> ambiguous = new ArrayList<>();
            int[][] offsets = new int[beads()][];
            for (int b = 0; b < offsets.length; b++) {
                List<String> atoms = spec.beads().get(b).atoms();
                offsets[b] = new int[atoms.size()];
                for (int j = 0; j < atoms.size(); j++) {
                    String name = atoms.get(j).strip();
                    Integer off = name.matches("\\d+:.+") ? qualified.get(name) : plain.get(name);
                    if (off == null) {
                        notFound.add(name);
                    } else if (off < 0) {
                        ambiguous.add(name);
                    } else {
                        offsets[b][j] = off;
                    }
                }
            }
            String where = spec.name() + " starting at atom " + (from + 1) + " (residue " + fine.residueName(from).strip() + " "
                    + fine.residueNumber(from) + ")";
            if (!notFound.isEmpty()) {
                throw new IllegalArgumentException("molecule " + where + " has no atom named " + String.join(", ", notFound) + "; its atoms: "
                        + String.join(" ", new java.util.LinkedHashSet<>(Arrays.asList(names))));
            }
            if (!ambiguous.isEmpty()) {
                throw new IllegalArgumentException("molecule " + where + " has several atoms named " + String.join(", ", ambiguous)
                        + "; qualify them by residue as k:NAME (k = 1, 2, ... within the molecule)");
            }
            lastNames = names;
            lastOffsets = offsets;
            return shifted(offsets, from);
        }

        /** Each bead's atom offsets plus from (new arrays). */
        private static int[][] shifted(int[][] offsets, int from) {
            int[][] out = new int[offsets.length][];
            for (int b = 0; b < out.length; b++) {
                out[b] = new int[offsets[b].length];
                for (int j = 0; j < out[b].length; j++) {
                    out[b][j] = from + offsets[b][j];
                }
            }
            return out;
        }
    }

    /** Atoms a fine frame must have. */
    /**
     * The canonical label of a bonded term with these bead types: the types joined with '-', read
     * in the direction whose string sorts first, so A-B and B-A (or A-B-C and C-B-A) are one label.
     */
    public static String label(String... types) {
        String forward = String.join("-", types);
        if (!reversedFirst(types)) {
            return forward;
        }
        String[] rev = new String[types.length];
        for (int p = 0; p < types.length; p++) {
            rev[p] = types[types.length - 1 - p];
        }
        return String.join("-", rev);
    }

    private static boolean reversedFirst(String[] types) {
        String forward = String.join("-", types);
        String[] rev = new String[types.length];
        for (int p = 0; p < types.length; p++) {
            rev[p] = types[types.length - 1 - p];
        }
        return String.join("-", rev).compareTo(forward) < 0;
    }

    public int fineAtoms() {
        return fineAtoms;
    }

    /** Beads of a mapped frame. */
    public int beads() {
        return beads;
    }

    /** The CG particles: bead names, types, masses (sums of atomic masses), molecules and labelled bonded terms. */
    public CgTopology cgTopology() {
        return cgTopology;
    }

    /** The CG system as a structure topology: bead names as atom names, molecule names as residue names, molecules numbered from 1. */
    public Topology cgStructure() {
        return cgStructure;
    }

    /** Residues dropped by the mapping: count per residue name, in order of first appearance. */
    public Map<String, Integer> droppedResidues() {
        return coverage.dropped();
    }

    /** Fine atoms in dropped residues. */
    public int droppedAtoms() {
        return coverage.droppedAtoms();
    }

    /** Mapped molecules: count per molecule name. */
    public Map<String, Integer> mappedMolecules() {
        return coverage.mapped();
    }

    /** One line: what was mapped to how many beads, what was dropped. */
    public String summary() {
        Map<String, Integer> dropped = coverage.dropped();
        StringBuilder s = new StringBuilder("mapped ");
        coverage.mapped().forEach((k, v) -> s.append(v).append(' ').append(k).append(", "));
        s.setLength(s.length() - 2);
        s.append(" to ").append(beads).append(" beads");
        if (dropped.isEmpty()) {
            s.append("; nothing dropped");
        } else {
            s.append("; dropped residues:");
            dropped.forEach((k, v) -> s.append(' ').append(k).append(" x").append(v));
            s.append(" (").append(coverage.droppedAtoms()).append(" atoms)");
        }
        return s.toString();
    }

    /**
     * Maps {@code fine} into {@code cg} (whose arrays are reused): bead positions, bead forces when
     * the fine frame has forces, and the box, step, time and frame index.
     *
     * @throws IllegalArgumentException when the frame's atom count differs from the topology's or it has no positions
     */
    public void map(Frame fine, Frame cg) {
        if (fine.atoms != fineAtoms) {
            throw new IllegalArgumentException("frame " + fine.index + " has " + fine.atoms + " atoms, the mapped topology " + fineAtoms);
        }
        if (fine.x == null) {
            throw new IllegalArgumentException("frame " + fine.index + " has no positions");
        }
        boolean forces = fine.f != null;
        cg.resize(beads, false, forces);
        double[] x = fine.x;
        double[] f = fine.f;
        double[] bx = cg.x;
        double[] bf = cg.f;
        Arrays.fill(bx, 0, 3 * beads, 0.0);
        if (forces) {
            Arrays.fill(bf, 0, 3 * beads, 0.0);
        }
        Box box = fine.box;
        boolean ortho = box == null || box.isOrthorhombic();
        double lx = box == null ? 0 : box.lx();
        double ly = box == null ? 0 : box.ly();
        double lz = box == null ? 0 : box.lz();
        double[] d = ortho ? null : SCRATCH.get();
        int[] unitStart = layout.unitStart();
        int[] unitEnd = layout.unitEnd();
        int[] atomBead = layout.atomBead();
        double[] atomWeight = layout.atomWeight();
        for (int u = 0; u < unitStart.length; u++) {
            int s = unitStart[u];
            int e = unitEnd[u];
            double ux = x[3 * s];
            double uy = x[3 * s + 1];
            double uz = x[3 * s + 2];
            for (int a = s; a < e; a++) {
                int o = 3 * a;
                if (a > s) {
                    double dx = x[o] - x[o - 3];
                    double dy = x[o + 1] - x[o - 2];
                    double dz = x[o + 2] - x[o - 1];
                    if (box != null) {
                        if (ortho) {
                            dx -= lx * Math.rint(dx / lx);
                            dy -= ly * Math.rint(dy / ly);
                            dz -= lz * Math.rint(dz / lz);
                        } else {
                            d[0] = dx;
                            d[1] = dy;
                            d[2] = dz;
                            box.minimumImage(d, 0);
                            dx = d[0];
                            dy = d[1];
                            dz = d[2];
                        }
                    }
                    ux += dx;
                    uy += dy;
                    uz += dz;
                }
                int b = atomBead[a];
                if (b >= 0) {
                    double w = atomWeight[a];
                    int q = 3 * b;
                    bx[q] += w * ux;
                    bx[q + 1] += w * uy;
                    bx[q + 2] += w * uz;
                    if (forces) {
                        bf[q] += f[o];
                        bf[q + 1] += f[o + 1];
                        bf[q + 2] += f[o + 2];
                    }
                }
            }
        }
        if (box != null) {
            box.wrap(bx, beads);
        }
        cg.box = box;
        cg.step = fine.step;
        cg.time = fine.time;
        cg.index = fine.index;
        cg.precision = 0;
    }
}

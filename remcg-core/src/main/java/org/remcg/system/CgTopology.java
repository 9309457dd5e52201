package org.remcg.system;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The particles of a coarse-grained system as the statistics and the engine see them: a type
 * index per particle (into {@link #typeNames()}), a molecule index per particle, masses, and the
 * bonded topology as flat index arrays (bonds as pairs, angles as triples, dihedrals as
 * quadruples). Each bonded term carries a label index (into {@code bondLabels} etc.): terms with
 * the same label share one interaction and one distribution, e.g. {@code "B1-B2"}. Immutable;
 * arrays are never handed out for writing (accessors return the internal arrays for speed, and
 * callers must not modify them).
 */
public final class CgTopology {
    private final String[] names;
    private final String[] typeNames;
    private final int[] type;
    private final int[] molecule;
    private final double[] mass;
    private final int[] bonds;
    private final int[] bondLabel;
    private final String[] bondLabels;
    private final int[] angles;
    private final int[] angleLabel;
    private final String[] angleLabels;
    private final int[] dihedrals;
    private final int[] dihedralLabel;
    private final String[] dihedralLabels;

    private CgTopology(Builder b) {
        int n = b.type.size();
        this.names = b.names.toArray(new String[0]);
        this.typeNames = b.typeNames.toArray(new String[0]);
        this.type = b.type.stream().mapToInt(Integer::intValue).toArray();
        this.molecule = b.molecule.stream().mapToInt(Integer::intValue).toArray();
        this.mass = b.mass.stream().mapToDouble(Double::doubleValue).toArray();
        this.bonds = b.bonds.stream().mapToInt(Integer::intValue).toArray();
        this.bondLabel = b.bondLabel.stream().mapToInt(Integer::intValue).toArray();
        this.bondLabels = b.bondLabels.toArray(new String[0]);
        this.angles = b.angles.stream().mapToInt(Integer::intValue).toArray();
        this.angleLabel = b.angleLabel.stream().mapToInt(Integer::intValue).toArray();
        this.angleLabels = b.angleLabels.toArray(new String[0]);
        this.dihedrals = b.dihedrals.stream().mapToInt(Integer::intValue).toArray();
        this.dihedralLabel = b.dihedralLabel.stream().mapToInt(Integer::intValue).toArray();
        this.dihedralLabels = b.dihedralLabels.toArray(new String[0]);
        assert names.length == n && molecule.length == n && mass.length == n;
    }

    private CgTopology(CgTopology o, double[] mass) {
        this.names = o.names;
        this.typeNames = o.typeNames;
        this.type = o.type;
        this.molecule = o.molecule;
        this.mass = mass;
        this.bonds = o.bonds;
        this.bondLabel = o.bondLabel;
        this.bondLabels = o.bondLabels;
        this.angles = o.angles;
        this.angleLabel = o.angleLabel;
        this.angleLabels = o.angleLabels;
        this.dihedrals = o.dihedrals;
        this.dihedralLabel = o.dihedralLabel;
        this.dihedralLabels = o.dihedralLabels;
    }

    /**
     * The same system with the masses of the listed bead types replaced (amu); types not listed keep
     * theirs, names in the map that are no type of this system are ignored.
     */
    public CgTopology withMasses(Map<String, Double> massByType) {
        double[] m = mass.clone();
        for (int i = 0; i < m.length; i++) {
            Double v = massByType.get(typeNames[type[i]]);
            if (v != null) {
                m[i] = v;
            }
        }
        return new CgTopology(this, m);
    }

    /** Number of particles (beads). */
    public int size() {
        return type.length;
    }

    /** Bead name of particle i (e.g. "W", "B1"). */
    public String name(int i) {
        return names[i];
    }

    /** Distinct bead type names, in order of first appearance. */
    public String[] typeNames() {
        return typeNames.clone();
    }

    public int types() {
        return typeNames.length;
    }

    public String typeName(int t) {
        return typeNames[t];
    }

    /** Index of a type name, or -1. */
    public int typeIndex(String name) {
        for (int t = 0; t < typeNames.length; t++) {
            if (typeNames[t].equals(name)) {
                return t;
            }
        }
        return -1;
    }

    /** Type index per particle (do not modify). */
    public int[] type() {
        return type;
    }

    /** Molecule index per particle, 0-based and non-decreasing (do not modify). */
    public int[] molecule() {
        return molecule;
    }

    /** Mass per particle in amu (do not modify). */
    public double[] mass() {
        return mass;
    }

    // bonds, angles and dihedrals each have the same four accessors (flat indices, count, per-term label, label names)

    /** Bonds as flat pairs i0 j0 i1 j1 ... (do not modify). */
    public int[] bonds() {
        return bonds;
    }

    public int bondCount() {
        return bondLabel.length;
    }

    public int[] bondLabel() {
        return bondLabel;
    }

    public String[] bondLabels() {
        return bondLabels.clone();
    }

    /** Angles as flat triples (do not modify). */
    public int[] angles() {
        return angles;
    }

    public int angleCount() {
        return angleLabel.length;
    }

    public int[] angleLabel() {
        return angleLabel;
    }

    public String[] angleLabels() {
        return angleLabels.clone();
    }

    /** Dihedrals as flat quadruples (do not modify). */
    public int[] dihedrals() {
        return dihedrals;
    }

    public int dihedralCount() {
        return dihedralLabel.length;
    }

    public int[] dihedralLabel() {
        return dihedralLabel;
    }

    public String[] dihedralLabels() {
        return dihedralLabels.clone();
    }

    /**
     * Pairs excluded from non-bonded interactions and from RDFs: particles joined by at most
     * {@code hops} bonds (1 = bonded pairs, 2 = also 1-3 pairs, 3 = also 1-4 pairs). With
     * {@code hops = Integer.MAX_VALUE} every intramolecular pair is excluded; 0 excludes nothing.
     * The result lists, for each particle i, the partners j &gt; i in ascending order: CSR form,
     * {@code start[i] .. start[i+1]} index into {@code partners}.
     */
    public Exclusions exclusions(int hops) {
        int n = size();
        if (hops <= 0) {
            return new Exclusions(new int[n + 1], new int[0]);
        }
        if (hops == Integer.MAX_VALUE) {
            int[] start = new int[n + 1];
            List<Integer> partners = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                start[i] = partners.size();
                for (int j = i + 1; j < n && molecule[j] == molecule[i]; j++) {
                    partners.add(j);
                }
            }
            start[n] = partners.size();
            return new Exclusions(start, partners.stream().mapToInt(Integer::intValue).toArray());
        }
        // adjacency lists
        int[][] adj = new int[n][];
        int[] deg = new int[n];
        for (int k = 0; k < bonds.length; k += 2) {
            deg[bonds[k]]++;
            deg[bonds[k + 1]]++;
        }
        for (int i = 0; i < n; i++) {
            adj[i] = new int[deg[i]];
        }
        Arrays.fill(deg, 0);
        for (int k = 0; k < bonds.length; k += 2) {
            int a = bonds[k];
            int c = bonds[k + 1];
            adj[a][deg[a]++] = c;
            adj[c][deg[c]++] = a;
        }
        int[] start = new int[n + 1];
        List<Integer> partners = new ArrayList<>();
        int[] dist = new int[n];
        Arrays.fill(dist, -1);
        int[] queue = new int[n];
        for (int i = 0; i < n; i++) {
            start[i] = partners.size();
            // breadth-first search to depth hops
            int head = 0;
            int tail = 0;
            queue[tail++] = i;
            dist[i] = 0;
            BitSet found = new BitSet();
            while (head < tail) {
                int u = queue[head++];
                if (dist[u] == hops) {
                    continue;
                }
                for (int w : adj[u]) {
                    if (dist[w] < 0) {
                        dist[w] = dist[u] + 1;
                        queue[tail++] = w;
                        if (w > i) {
                            found.set(w);
                        }
                    }
                }
            }
            for (int q = 0; q < tail; q++) {
                dist[queue[q]] = -1;
            }
            for (int w = found.nextSetBit(0); w >= 0; w = found.nextSetBit(w + 1)) {
                partners.add(w);
            }
        }
        start[n] = partners.size();
        return new Exclusions(start, partners.stream().mapToInt(Integer::intValue).toArray());
    }

    /** Excluded partners in CSR form: for particle i, partners[start[i] .. start[i+1]) are the j &gt; i it does not interact with. */
    public record Exclusions(int[] start, int[] partners) {
        /** Whether the pair (i, j) is excluded (binary search; i and j in any order). */
        public boolean excluded(int i, int j) {
            int a = Math.min(i, j);
            int b = Math.max(i, j);
            return Arrays.binarySearch(partners, start[a], start[a + 1], b) >= 0;
        }

        public int count() {
            return partners.length;
        }
    }

    /** Builds a topology molecule by molecule. */
    public static final class Builder {
        private final List<String> names = new ArrayList<>();
        private final List<String> typeNames = new ArrayList<>();
        private final Map<String, Integer> typeIndex = new HashMap<>();
        private final List<Integer> type = new ArrayList<>();
        private final List<Integer> molecule = new ArrayList<>();
        private final List<Double> mass = new ArrayList<>();
        private final List<Integer> bonds = new ArrayList<>();
        private final List<Integer> bondLabel = new ArrayList<>();
        private final List<String> bondLabels = new ArrayList<>();
        private final List<Integer> angles = new ArrayList<>();
        private final List<Integer> angleLabel = new ArrayList<>();
        private final List<String> angleLabels = new ArrayList<>();
        private final List<Integer> dihedrals = new ArrayList<>();
        private final List<Integer> dihedralLabel = new ArrayList<>();
        private final List<String> dihedralLabels = new ArrayList<>();
        private int molecules;

        /** Starts a new molecule; particles added after this call belong to it. */
        public Builder molecule() {
            molecules++;
            return this;
        }

        /** Adds a particle to the current molecule and returns its index. */
        public int particle(String name, String typeName, double m) {
            if (molecules == 0) {
                molecules = 1;
            }
            Integer t = typeIndex.get(typeName);
            if (t == null) {
                t = typeNames.size();
                typeNames.add(typeName);
                typeIndex.put(typeName, t);
            }
            names.add(name);
            type.add(t);
            molecule.add(molecules - 1);
            mass.add(m);
            return type.size() - 1;
        }

        public Builder bond(int i, int j, String label) {
            check(i, j);
            bonds.add(i);
            bonds.add(j);
            bondLabel.add(label(bondLabels, label));
            return this;
        }

        public Builder angle(int i, int j, int k, String label) {
            check(i, j, k);
            angles.add(i);
            angles.add(j);
            angles.add(k);
            angleLabel.add(label(angleLabels, label));
            return this;
        }

        public Builder dihedral(int i, int j, int k, int l, String label) {
            check(i, j, k, l);
            dihedrals.add(i);
            dihedrals.add(j);
            dihedrals.add(k);
            dihedrals.add(l);
            dihedralLabel.add(label(dihedralLabels, label));
            return this;
        }

        private void check(int... idx) {
            for (int i : idx) {
                if (i < 0 || i >= type.size()) {
                    throw new IllegalArgumentException("particle index " + i + " out of range 0.." + (type.size() - 1));
                }
            }
            for (int a = 0; a < idx.length; a++) {
                for (int b = a + 1; b < idx.length; b++) {
                    if (idx[a] == idx[b]) {
                        throw new IllegalArgumentException("a bonded term names particle " + idx[a] + " twice");
                    }
                }
            }
        }

        private static int label(List<String> labels, String label) {
            int k = labels.indexOf(label);
            if (k < 0) {
                labels.add(label);
                k = labels.size() - 1;
            }
            return k;
        }

        public CgTopology build() {
            return new CgTopology(this);
        }
    }
}

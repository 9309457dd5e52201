package org.remcg.system;

/** Topologies of linear chains for tests: each chain bonded along its length, with every angle and dihedral along it. */
public final class TestChains {

    private TestChains() {
    }

    /** Chains A-B-B-A (names A1 B1 B2 A2, masses 10 20 20 10), then single W beads of mass 18. */
    public static CgTopology abba(int chains, int waters) {
        return chains(chains, waters, new String[] {"A1", "B1", "B2", "A2"}, new String[] {"A", "B", "B", "A"}, new double[] {10, 20, 20, 10});
    }

    /**
     * {@code chains} chains of the given beads (any length), then {@code waters} single W beads of mass 18. Bonds,
     * angles and dihedrals are labelled by their bead types joined with '-', read in whichever direction comes first;
     * per chain the bonds come first, then the angles, then the dihedrals, each in order along the chain.
     */
    public static CgTopology chains(int chains, int waters, String[] names, String[] types, double[] masses) {
        CgTopology.Builder b = new CgTopology.Builder();
        for (int m = 0; m < chains; m++) {
            b.molecule();
            int n = names.length;
            int[] p = new int[n];
            for (int q = 0; q < n; q++) {
                p[q] = b.particle(names[q], types[q], masses[q]);
            }
            for (int q = 0; q + 1 < n; q++) {
                b.bond(p[q], p[q + 1], label(types, q, 2));
            }
            for (int q = 0; q + 2 < n; q++) {
                b.angle(p[q], p[q + 1], p[q + 2], label(types, q, 3));
            }
            for (int q = 0; q + 3 < n; q++) {
                b.dihedral(p[q], p[q + 1], p[q + 2], p[q + 3], label(types, q, 4));
            }
        }
        for (int m = 0; m < waters; m++) {
            b.molecule();
            b.particle("W", "W", 18);
        }
        return b.build();
    }

    private static String label(String[] types, int from, int n) {
        String forward = String.join("-", java.util.Arrays.copyOfRange(types, from, from + n));
        String[] rev = new String[n];
        for (int q = 0; q < n; q++) {
            rev[q] = types[from + n - 1 - q];
        }
        String backward = String.join("-", rev);
        return forward.compareTo(backward) <= 0 ? forward : backward;
    }
}

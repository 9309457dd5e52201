package org.remcg.system;

/** Topologies of four-bead chains for tests: each chain bonded along its length, with both angles and the dihedral. */
public final class TestChains {

    private TestChains() {
    }

    /** Chains A-B-B-A (names A1 B1 B2 A2, masses 10 20 20 10), then single W beads of mass 18. */
    public static CgTopology abba(int chains, int waters) {
        return chains(chains, waters, new String[] {"A1", "B1", "B2", "A2"}, new String[] {"A", "B", "B", "A"}, new double[] {10, 20, 20, 10});
    }

    /**
     * {@code chains} chains of the four given beads, then {@code waters} single W beads of mass 18. Bonds, angles and
     * the dihedral are labelled by their bead types joined with '-', read in whichever direction comes first.
     */
    public static CgTopology chains(int chains, int waters, String[] names, String[] types, double[] masses) {
        CgTopology.Builder b = new CgTopology.Builder();
        for (int m = 0; m < chains; m++) {
            b.molecule();
            int[] p = new int[4];
            for (int q = 0; q < 4; q++) {
                p[q] = b.particle(names[q], types[q], masses[q]);
            }
            b.bond(p[0], p[1], label(types, 0, 2)).bond(p[1], p[2], label(types, 1, 2)).bond(p[2], p[3], label(types, 2, 2));
            b.angle(p[0], p[1], p[2], label(types, 0, 3)).angle(p[1], p[2], p[3], label(types, 1, 3));
            b.dihedral(p[0], p[1], p[2], p[3], label(types, 0, 4));
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

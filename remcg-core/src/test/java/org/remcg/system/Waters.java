package org.remcg.system;

/** Test fixture: the atomistic topology of n waters (OW, HW1, HW2; residue SOL numbered from 1), as GROMACS writes SPC/E water. */
public final class Waters {
    private Waters() {
    }

    /** @param masses the masses of O, H, H (amu), or null for a topology without masses */
    public static Topology topology(int n, double[] masses) {
        String[] atoms = new String[3 * n];
        String[] res = new String[3 * n];
        int[] num = new int[3 * n];
        double[] m = masses == null ? null : new double[3 * n];
        String[] names = {"OW", "HW1", "HW2"};
        for (int w = 0; w < n; w++) {
            for (int k = 0; k < 3; k++) {
                atoms[3 * w + k] = names[k];
                res[3 * w + k] = "SOL";
                num[3 * w + k] = w + 1;
                if (m != null) {
                    m[3 * w + k] = masses[k];
                }
            }
        }
        return new Topology(atoms, res, num, m);
    }
}

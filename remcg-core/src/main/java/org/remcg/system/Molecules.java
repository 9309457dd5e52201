package org.remcg.system;

import java.util.Arrays;

/**
 * How the atoms of a system divide into molecules: molecule m is the contiguous atom range
 * {@code start(m) .. end(m) - 1} and has a (molecule type) name, as a GROMACS topology's
 * {@code [ molecules ]} section lays them out. Immutable.
 */
public final class Molecules {
    private final int[] start;
    private final String[] names;

    /**
     * @param start molecule start indices followed by the atom count (length molecules + 1,
     *              non-decreasing, starting at 0)
     * @param names molecule type name of each molecule
     */
    public Molecules(int[] start, String[] names) {
        if (start.length != names.length + 1 || start[0] != 0) {
            throw new IllegalArgumentException("molecule starts must begin at 0 and have one entry more than the names");
        }
        for (int m = 0; m < names.length; m++) {
            if (start[m + 1] < start[m]) {
                throw new IllegalArgumentException("molecule starts must not decrease");
            }
        }
        this.start = start.clone();
        this.names = names.clone();
    }

    /** Number of molecules. */
    public int count() {
        return names.length;
    }

    /** Total number of atoms. */
    public int atoms() {
        return start[names.length];
    }

    public int start(int m) {
        return start[m];
    }

    /** One past the last atom of molecule m. */
    public int end(int m) {
        return start[m + 1];
    }

    public String name(int m) {
        return names[m];
    }

    @Override
    public String toString() {
        return "Molecules[" + names.length + " molecules, " + atoms() + " atoms, types " + Arrays.stream(names).distinct().toList() + "]";
    }
}

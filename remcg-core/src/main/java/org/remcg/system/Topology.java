package org.remcg.system;

import java.util.Arrays;

/**
 * The atoms of a fine-grained (or coarse-grained) system: names, residue names and numbers, and
 * masses (NaN where unknown until a mass rule or a GROMACS topology supplies them). Residues are
 * numbered as in the file they came from; consecutive atoms with the same residue number and name
 * form one residue.
 */
public final class Topology {
    private final String[] atomNames;
    private final String[] residueNames;
    private final int[] residueNumbers;
    private final double[] masses;

    public Topology(String[] atomNames, String[] residueNames, int[] residueNumbers, double[] masses) {
        int n = atomNames.length;
        if (residueNames.length != n || residueNumbers.length != n || (masses != null && masses.length != n)) {
            throw new IllegalArgumentException("topology arrays differ in length");
        }
        this.atomNames = atomNames.clone();
        this.residueNames = residueNames.clone();
        this.residueNumbers = residueNumbers.clone();
        if (masses == null) {
            this.masses = new double[n];
            Arrays.fill(this.masses, Double.NaN);
        } else {
            this.masses = masses.clone();
        }
    }

    public int atoms() {
        return atomNames.length;
    }

    public String atomName(int i) {
        return atomNames[i];
    }

    public String residueName(int i) {
        return residueNames[i];
    }

    public int residueNumber(int i) {
        return residueNumbers[i];
    }

    /** Mass in amu, NaN when unknown. */
    public double mass(int i) {
        return masses[i];
    }

    /** The same atoms with the given masses. */
    public Topology withMasses(double[] m) {
        return new Topology(atomNames, residueNames, residueNumbers, m);
    }
}

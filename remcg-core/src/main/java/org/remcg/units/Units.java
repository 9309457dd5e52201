package org.remcg.units;

/**
 * remcg's units and the physical constants it uses, in one place.
 *
 * <p>remcg computes in GROMACS units: lengths in nm, times in ps, energies in kJ/mol, temperatures
 * in K, masses in g/mol, so forces in kJ/mol/nm and velocities in nm/ps. A constant named after a
 * unit ({@link #KCAL}, {@link #EV}, {@link #ANGSTROM_PER_FS}, {@link #KCAL_PER_ANGSTROM},
 * {@link #EV_PER_ANGSTROM}) is that unit in remcg's units: multiply a value by it. The two counts
 * {@link #ANGSTROM_PER_NM} and {@link #FS_PER_PS} go the other way: x Angstrom is
 * x / {@code ANGSTROM_PER_NM} nm.
 */
public final class Units {

    /**
     * Boltzmann constant in kJ/mol/K: the molar gas constant R = 8.314462618 J/mol/K (exact in the
     * 2019 SI) rounded to 8 significant digits. Every fit and simulation uses this value; results are
     * reproduced bit for bit only with it.
     */
    public static final double KB = 0.0083144626;

    /** Avogadro constant in 1/mol (exact in the 2019 SI). */
    public static final double AVOGADRO = 6.02214076e23;

    /** Elementary charge in C (exact in the 2019 SI). */
    public static final double ELEMENTARY_CHARGE = 1.602176634e-19;

    /** One thermochemical kcal in kJ. */
    public static final double KCAL = 4.184;

    /** One eV per particle in kJ/mol: e N_A / 1000 (96.48533212331002). */
    public static final double EV = ELEMENTARY_CHARGE * AVOGADRO / 1000;

    /** Angstrom per nm. */
    public static final double ANGSTROM_PER_NM = 10;

    /** fs per ps. */
    public static final double FS_PER_PS = 1000;

    /** One Angstrom/fs in nm/ps (100). */
    public static final double ANGSTROM_PER_FS = FS_PER_PS / ANGSTROM_PER_NM;

    /** One kcal/mol/Angstrom in kJ/mol/nm (41.84). */
    public static final double KCAL_PER_ANGSTROM = KCAL * ANGSTROM_PER_NM;

    /**
     * One eV/Angstrom in kJ/mol/nm, as the LAMMPS dump reader has always converted metal-unit forces:
     * one unit in the last place above e N_A / 100 correctly rounded (964.8533212331001), which
     * {@link #EV} x 10 gives.
     */
    public static final double EV_PER_ANGSTROM = 964.8533212331002;

    private Units() {
    }
}

package org.remcg.system;

import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Atomic masses inferred from atom names, for structures without a GROMACS topology.
 *
 * <p>The rule: leading digits of the name are dropped (PDB names such as {@code 1HB}). If the
 * atom is alone in its residue (an ion or another single-atom residue), its first two letters are
 * tried as a two-letter element symbol (CL, NA, MG, ZN, FE, CA, ...); otherwise, and when that
 * fails, its first letter is the element. So {@code CA} in a protein residue is carbon and
 * {@code CA} as a one-atom residue is calcium. The mass is the element's conventional standard
 * atomic weight (IUPAC abridged values, e.g. H 1.008, C 12.011, N 14.007, O 15.999). A name that
 * is itself the element symbol is taken as certain; every other name is a guess and is reported.
 * A name from which no element can be read (e.g. a virtual site {@code MW}) is an error: give a
 * topology for such systems.
 */
public final class Masses {

    private static final Map<String, Double> WEIGHTS = Map.ofEntries(
            Map.entry("H", 1.008), Map.entry("HE", 4.0026), Map.entry("LI", 6.94), Map.entry("B", 10.81),
            Map.entry("C", 12.011), Map.entry("N", 14.007), Map.entry("O", 15.999), Map.entry("F", 18.998),
            Map.entry("NE", 20.180), Map.entry("NA", 22.990), Map.entry("MG", 24.305), Map.entry("AL", 26.982),
            Map.entry("SI", 28.085), Map.entry("P", 30.974), Map.entry("S", 32.06), Map.entry("CL", 35.45),
            Map.entry("AR", 39.948), Map.entry("K", 39.098), Map.entry("CA", 40.078), Map.entry("MN", 54.938),
            Map.entry("FE", 55.845), Map.entry("CO", 58.933), Map.entry("NI", 58.693), Map.entry("CU", 63.546),
            Map.entry("ZN", 65.38), Map.entry("SE", 78.971), Map.entry("BR", 79.904), Map.entry("KR", 83.798),
            Map.entry("RB", 85.468), Map.entry("SR", 87.62), Map.entry("CD", 112.414), Map.entry("I", 126.904),
            Map.entry("XE", 131.293), Map.entry("CS", 132.905), Map.entry("BA", 137.327));

    private Masses() {
    }

    /** The standard atomic weight of an element symbol (any case), or NaN if it is not in the table. */
    public static double atomicWeight(String element) {
        Double w = WEIGHTS.get(element.toUpperCase(Locale.ROOT));
        return w == null ? Double.NaN : w;
    }

    /**
     * The element symbol the rule reads from an atom name (upper case), or null when none.
     *
     * @param alone whether the atom is the only one in its residue (ions): then two-letter elements are tried first
     */
    public static String element(String atomName, boolean alone) {
        String s = atomName.strip().toUpperCase(Locale.ROOT);
        int k = 0;
        while (k < s.length() && Character.isDigit(s.charAt(k))) {
            k++;
        }
        s = s.substring(k);
        if (s.isEmpty() || !Character.isLetter(s.charAt(0))) {
            return null;
        }
        if (alone && s.length() >= 2 && Character.isLetter(s.charAt(1)) && WEIGHTS.containsKey(s.substring(0, 2))) {
            return s.substring(0, 2);
        }
        String one = s.substring(0, 1);
        return WEIGHTS.containsKey(one) ? one : null;
    }

    /**
     * Per-atom masses of {@code topology} by the name rule.
     *
     * @param guessed receives "RES/NAME->EL" for every distinct residue and atom name whose element
     *                was a guess (the name is not the bare symbol); may be null
     * @throws IllegalArgumentException naming the first atom whose element cannot be read from its name
     */
    public static double[] fromNames(Topology topology, Set<String> guessed) {
        int n = topology.atoms();
        double[] m = new double[n];
        int i = 0;
        while (i < n) {
            int j = i + 1;
            while (j < n && topology.residueNumber(j) == topology.residueNumber(i) && topology.residueName(j).equals(topology.residueName(i))) {
                j++;
            }
            boolean alone = j - i == 1;
            for (int a = i; a < j; a++) {
                String name = topology.atomName(a);
                String el = element(name, alone);
                if (el == null) {
                    throw new IllegalArgumentException("cannot infer the mass of atom " + (a + 1) + " (" + topology.residueName(a) + " "
                            + topology.residueNumber(a) + " " + name + ") from its name; give a GROMACS topology for the masses");
                }
                m[a] = WEIGHTS.get(el);
                if (guessed != null && !name.strip().equalsIgnoreCase(el)) {
                    guessed.add(topology.residueName(a) + "/" + name.strip() + "->" + el);
                }
            }
            i = j;
        }
        return m;
    }

    /** {@link #fromNames} with a fresh set of guesses, for callers that want both. */
    public static Result infer(Topology topology) {
        Set<String> g = new LinkedHashSet<>();
        double[] m = fromNames(topology, g);
        return new Result(m, java.util.Collections.unmodifiableSet(g));
    }

    /** Masses with the names that were guesses ("RES/NAME->EL", in order of first appearance). */
    public record Result(double[] masses, Set<String> guessed) {
    }
}

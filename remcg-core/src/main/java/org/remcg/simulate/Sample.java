package org.remcg.simulate;

import org.remcg.units.Units;

/**
 * Observables of one sampled frame. Energies in kJ/mol, temperatures in K, pressure in bar.
 * {@code features} is the per-frame feature vector of the basis-expanded interactions (layout of
 * {@link org.remcg.model.ForceField#parameters()}); it is a view valid only during the observer call.
 *
 * @param virial                 W = sum over interacting pairs and bonded terms of r . F (kJ/mol)
 * @param forceSquared           sum_i |F_i|^2 (for the configurational temperature)
 * @param laplacian              sum_i of the Laplacian of U with respect to particle i (NaN with angle or dihedral terms)
 */
public record Sample(long step, double potential, double kinetic, double temperature, double pressure, double virial,
                     double forceSquared, double laplacian, double[] features) {

    /** Instantaneous configurational temperature estimate |F|^2 / (k_B laplacian); average numerator and denominator separately. */
    public double configurationalTemperature() {
        return forceSquared / (Units.KB * laplacian);
    }
}

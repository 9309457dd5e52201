package org.remcg.simulate;

import java.util.Arrays;
import org.remcg.units.Units;

/**
 * What each particle block adds to a sampled frame: potential energy, virial, Laplacian of U, kinetic energy, |F|^2
 * and the feature vector. Each block writes only its own entries; {@link #into} sums them in block order, so a frame
 * does not depend on which thread ran which block.
 */
final class BlockSums {
    final double[] energy;
    final double[] virial;
    final double[] laplacian;
    final double[] kinetic;
    final double[] forceSquared;
    final double[][] features;
    private final double[] phi;

    BlockSums(int blocks, int features) {
        energy = new double[blocks];
        virial = new double[blocks];
        laplacian = new double[blocks];
        kinetic = new double[blocks];
        forceSquared = new double[blocks];
        this.features = new double[blocks][features];
        phi = new double[features];
    }

    /**
     * The frame at {@code step}: temperature from {@code dof} degrees of freedom, pressure from the kinetic energy and the
     * virial in volume {@code volume}; the Laplacian is NaN when {@code angular} (angle or dihedral terms, whose
     * Laplacian the engine does not compute). The feature vector is a view, valid until the next frame.
     */
    Sample into(long step, int dof, double volume, boolean angular) {
        double e = 0;
        double w = 0;
        double lap = 0;
        double kin = 0;
        double f2 = 0;
        Arrays.fill(phi, 0);
        for (int p = 0; p < energy.length; p++) {
            e += energy[p];
            w += virial[p];
            lap += laplacian[p];
            kin += kinetic[p];
            f2 += forceSquared[p];
            double[] ph = features[p];
            for (int k = 0; k < phi.length; k++) {
                phi[k] += ph[k];
            }
        }
        double temp = 2 * kin / (dof * Units.KB);
        double press = (2 * kin + w) / (3 * volume) * Engine.BAR;
        return new Sample(step, e, kin, temp, press, w, f2, angular ? Double.NaN : lap, phi);
    }
}

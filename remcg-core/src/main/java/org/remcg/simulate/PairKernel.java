package org.remcg.simulate;

/**
 * One way of computing the pair forces of a particle block: reads the positions, a block's list and the pair tables,
 * adds the block's pair forces to its force buffer (and, for a sampling kernel, its energy, virial, Laplacian and
 * features to the {@link BlockSums}). Which kernel a force pass runs is chosen by {@link PairKernels}.
 */
interface PairKernel {
    /** Adds block p's pair forces to {@code fb} (a 3N buffer of the block). */
    void run(int p, double[] fb);
}

package org.remcg.simulate;

/**
 * One way of computing the pair forces of a particle block: reads the positions, a block's list (the Verlet lists or
 * the pruned inner lists) and the pair tables, adds the block's pair forces to its force buffer (and, for a sampling
 * kernel, its energy, virial, Laplacian and features to the {@link BlockSums}). The kernels share their inputs, held
 * here; which kernel a force pass runs is chosen by {@link PairKernels}.
 */
abstract class PairKernel {
    final Particles particles;
    final PairTables tables;
    final PairList lists;
    final InnerLists inner;
    /**
     * Whether the kernel runs its one-table variant (the table's constants in registers): only for one bead type with one
     * pair table, where the general loop gives the same forces to the bit.
     */
    final boolean single;

    PairKernel(Particles particles, PairTables tables, PairList lists, InnerLists inner, boolean single) {
        this.particles = particles;
        this.tables = tables;
        this.lists = lists;
        this.inner = inner;
        this.single = single;
    }

    /** Adds block p's pair forces to {@code fb} (a 3N buffer of the block). */
    abstract void run(int p, double[] fb);
}

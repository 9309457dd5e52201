package org.remcg.simulate;

/**
 * Chooses the pair kernel of a force pass from a table, built once for the engine's system: the force-only kernels
 * over the Verlet lists in two passes ({@link TwoPassKernel}) or over the pruned inner lists ({@link InnerKernel}), each
 * in its one-table form when the system has one bead type and one pair table, and the kernel of sampled passes
 * ({@link SampledKernel}: energy, virial, Laplacian, features).
 */
final class PairKernels {
    private final TwoPassKernel twoPass;
    /** Force-only kernels: [0] two-pass over the Verlet lists, [1] one pass over the inner lists. */
    private final PairKernel[] forces;
    private final PairKernel sampled;

    PairKernels(Particles particles, PairTables tables, PairList lists, InnerLists inner, BlockSums sums) {
        boolean single = particles.types == 1 && tables.ntab == 1;
        int blocks = lists.blockStart.length - 1;
        twoPass = new TwoPassKernel(particles, tables, lists, inner, single, blocks);
        forces = new PairKernel[] {twoPass, new InnerKernel(particles, tables, lists, inner, single)};
        sampled = new SampledKernel(particles, tables, lists, inner, sums);
    }

    /** The kernel of a pass: sampled, or force-only over the inner lists or the Verlet lists. */
    PairKernel choose(boolean sampling, boolean innerLists) {
        return sampling ? sampled : forces[innerLists ? 1 : 0];
    }

    /** After block p's list build: room for its longest row. */
    void fit(int p, int longest) {
        twoPass.fit(p, longest);
    }
}

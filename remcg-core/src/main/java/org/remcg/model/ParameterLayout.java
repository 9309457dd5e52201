package org.remcg.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * How one parameter vector theta is cut into named blocks, one per interaction, in order: block q
 * holds coefficients [offset(q), offset(q) + size(q)). The fit's reference features, the engine's
 * per-frame features and the force field's parameters all use the layout of the fitted terms, so
 * every piece of code that needs a term's coefficients asks the layout instead of adding up basis
 * sizes itself. Immutable.
 */
public final class ParameterLayout {

    /** One named block of coefficients. */
    public record Block(String name, int offset, int size) {
        /** One past the block's last coefficient. */
        public int end() {
            return offset + size;
        }

        /** Whether coefficient k (full index) lies in this block. */
        public boolean contains(int k) {
            return k >= offset && k < offset + size;
        }
    }

    private final List<Block> blocks;
    private final int size;

    private ParameterLayout(List<Block> blocks) {
        this.blocks = List.copyOf(blocks);
        this.size = blocks.isEmpty() ? 0 : blocks.get(blocks.size() - 1).end();
    }

    /** Blocks of the given names and sizes, laid out in this order. */
    public static ParameterLayout of(List<String> names, int[] sizes) {
        if (names.size() != sizes.length) {
            throw new IllegalArgumentException(names.size() + " block names for " + sizes.length + " sizes");
        }
        List<Block> b = new ArrayList<>();
        int at = 0;
        for (int q = 0; q < sizes.length; q++) {
            if (sizes[q] < 0) {
                throw new IllegalArgumentException("block " + names.get(q) + " has negative size " + sizes[q]);
            }
            b.add(new Block(names.get(q), at, sizes[q]));
            at += sizes[q];
        }
        return new ParameterLayout(b);
    }

    /** Length of theta. */
    public int size() {
        return size;
    }

    /** Number of blocks. */
    public int count() {
        return blocks.size();
    }

    public List<Block> blocks() {
        return blocks;
    }

    public Block block(int q) {
        return blocks.get(q);
    }

    /** Offset of block q in theta. */
    public int offset(int q) {
        return blocks.get(q).offset();
    }

    /** The offsets of all blocks. */
    public int[] offsets() {
        return blocks.stream().mapToInt(Block::offset).toArray();
    }

    /** The block holding coefficient k (full index), or -1 when k is outside theta. */
    public int blockOf(int k) {
        for (int q = 0; q < blocks.size(); q++) {
            if (blocks.get(q).contains(k)) {
                return q;
            }
        }
        return -1;
    }

    /** Block q's coefficients of theta (a copy). */
    public double[] slice(double[] theta, int q) {
        Block b = blocks.get(q);
        return Arrays.copyOfRange(theta, b.offset(), b.end());
    }

    /** The block index of every coefficient. */
    public int[] groups() {
        int[] g = new int[size];
        for (int q = 0; q < blocks.size(); q++) {
            Arrays.fill(g, blocks.get(q).offset(), blocks.get(q).end(), q);
        }
        return g;
    }

    /**
     * A size x size matrix (row-major) with {@code perBlock.get(q)} (size(q) x size(q), row-major) on the
     * diagonal block of q and zeros elsewhere.
     */
    public double[] blockDiagonal(List<double[]> perBlock) {
        double[] mat = new double[size * size];
        for (int q = 0; q < blocks.size(); q++) {
            Block b = blocks.get(q);
            int k = b.size();
            double[] r = perBlock.get(q);
            for (int i = 0; i < k; i++) {
                System.arraycopy(r, i * k, mat, (b.offset() + i) * size + b.offset(), k);
            }
        }
        return mat;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ParameterLayout p && p.blocks.equals(blocks);
    }

    @Override
    public int hashCode() {
        return blocks.hashCode();
    }

    @Override
    public String toString() {
        return "ParameterLayout" + blocks;
    }
}

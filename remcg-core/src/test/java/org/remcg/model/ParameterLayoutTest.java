package org.remcg.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.remcg.system.InteractionKind;

class ParameterLayoutTest {

    @Test
    void blocksFollowEachOtherInOrder() {
        ParameterLayout l = ParameterLayout.of(List.of("pair A-A", "bond A-B", "angle A-B-A"), new int[] {3, 2, 4});
        assertEquals(9, l.size());
        assertArrayEquals(new int[] {0, 3, 5}, l.offsets());
        assertArrayEquals(new int[] {0, 0, 0, 1, 1, 2, 2, 2, 2}, l.groups());
        assertEquals(1, l.blockOf(4));
        assertEquals(2, l.blockOf(8));
        assertEquals(-1, l.blockOf(9));
        assertArrayEquals(new double[] {3, 4}, l.slice(new double[] {0, 1, 2, 3, 4, 5, 6, 7, 8}, 1));
        assertEquals("bond A-B", l.block(1).name());
        assertThrows(IllegalArgumentException.class, () -> ParameterLayout.of(List.of("a"), new int[] {1, 2}));
    }

    @Test
    void blockDiagonalPlacesEachBlockOnTheDiagonal() {
        ParameterLayout l = ParameterLayout.of(List.of("a", "b"), new int[] {1, 2});
        double[] m = l.blockDiagonal(List.of(new double[] {7}, new double[] {1, 2, 3, 4}));
        assertArrayEquals(new double[] {7, 0, 0, 0, 1, 2, 0, 3, 4}, m);
    }

    @Test
    void interactionKindsParseTheirKeys() {
        for (InteractionKind k : InteractionKind.values()) {
            assertEquals(k, InteractionKind.parse(k.key().toUpperCase(java.util.Locale.ROOT)));
        }
        assertEquals(List.of(0, 1, 2), InteractionKind.BONDED.stream().map(InteractionKind::bondedIndex).toList());
        assertThrows(IllegalArgumentException.class, () -> InteractionKind.parse("improper"));
        assertThrows(IllegalArgumentException.class, InteractionKind.PAIR::bondedIndex);
        assertEquals("rad", InteractionKind.DIHEDRAL.unit());
        assertEquals(3, InteractionKind.ANGLE.beads());
    }
}

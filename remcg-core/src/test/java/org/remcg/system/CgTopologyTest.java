package org.remcg.system;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class CgTopologyTest {

    /** Two linear 4-bead chains A-B-B-A plus one free W bead. */
    private static CgTopology chains() {
        return TestChains.abba(2, 1);
    }

    @Test
    void typesMoleculesAndLabels() {
        CgTopology t = chains();
        assertEquals(9, t.size());
        assertArrayEquals(new String[] {"A", "B", "W"}, t.typeNames());
        assertArrayEquals(new int[] {0, 0, 0, 0, 1, 1, 1, 1, 2}, t.molecule());
        assertEquals(6, t.bondCount());
        assertArrayEquals(new String[] {"A-B", "B-B"}, t.bondLabels());
        assertArrayEquals(new int[] {0, 1, 0, 0, 1, 0}, t.bondLabel());
        assertEquals(2, t.dihedralCount());
    }

    @Test
    void withMassesReplacesTheListedTypesOnly() {
        CgTopology t = chains();
        CgTopology u = t.withMasses(java.util.Map.of("B", 25.5, "Q", 1.0));
        assertArrayEquals(new double[] {10, 25.5, 25.5, 10, 10, 25.5, 25.5, 10, 18}, u.mass());
        assertArrayEquals(new double[] {10, 20, 20, 10, 10, 20, 20, 10, 18}, t.mass(), "the original is unchanged");
        assertArrayEquals(t.type(), u.type());
        assertArrayEquals(t.bonds(), u.bonds());
        assertArrayEquals(t.angleLabels(), u.angleLabels());
        assertArrayEquals(t.dihedrals(), u.dihedrals());
        assertEquals(t.exclusions(3).count(), u.exclusions(3).count());
    }

    @Test
    void exclusionsByBondHops() {
        CgTopology t = chains();
        assertEquals(0, t.exclusions(0).count());
        CgTopology.Exclusions one = t.exclusions(1);
        assertEquals(6, one.count());
        assertTrue(one.excluded(1, 0));
        assertFalse(one.excluded(0, 2));
        CgTopology.Exclusions two = t.exclusions(2);
        assertEquals(10, two.count());
        assertTrue(two.excluded(0, 2));
        assertFalse(two.excluded(0, 3));
        assertEquals(12, t.exclusions(3).count());
        CgTopology.Exclusions all = t.exclusions(Integer.MAX_VALUE);
        assertEquals(12, all.count());
        assertFalse(all.excluded(3, 4), "different molecules never excluded");
        assertThrows(IllegalArgumentException.class, () -> new CgTopology.Builder().bond(0, 1, "x"));
    }
}

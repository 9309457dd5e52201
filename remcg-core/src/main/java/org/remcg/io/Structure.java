package org.remcg.io;

import java.util.HashMap;
import java.util.Map;
import org.remcg.system.Topology;

/**
 * A structure file's content: the atoms' names and residues ({@link Topology}, masses unknown
 * unless the format gives them) and the coordinates of its first frame.
 */
public record Structure(Topology topology, Frame frame) {

    public Structure {
        if (topology == null || frame == null) {
            throw new IllegalArgumentException("a structure needs both a topology and a frame");
        }
        if (topology.atoms() != frame.atoms) {
            throw new IllegalArgumentException("topology has " + topology.atoms() + " atoms but the frame " + frame.atoms);
        }
    }

    /** Atom and residue names and residue numbers gathered while a reader reads the first frame. */
    static final class Names {
        final String[] atomNames;
        final String[] residueNames;
        final int[] residueNumbers;
        private final Map<String, String> pool = new HashMap<>();

        Names(int atoms) {
            atomNames = new String[atoms];
            residueNames = new String[atoms];
            residueNumbers = new int[atoms];
        }

        /** One String object per distinct name. */
        String intern(String s) {
            String old = pool.putIfAbsent(s, s);
            return old == null ? s : old;
        }

        /** The structure of these names and the frame (masses unknown). */
        Structure with(Frame frame) {
            return new Structure(new Topology(atomNames, residueNames, residueNumbers, null), frame);
        }
    }
}

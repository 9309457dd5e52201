package org.remcg.io;

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
}

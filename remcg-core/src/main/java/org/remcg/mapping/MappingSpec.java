package org.remcg.mapping;

import java.util.List;

/** A complete atom-to-bead mapping: one {@link MoleculeSpec} per kind of molecule that is kept; everything else is dropped. */
public record MappingSpec(List<MoleculeSpec> molecules) {
    public MappingSpec {
        molecules = List.copyOf(molecules);
    }
}

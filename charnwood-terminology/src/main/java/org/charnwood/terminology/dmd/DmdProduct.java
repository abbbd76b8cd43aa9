package org.charnwood.terminology.dmd;

import java.util.List;

/**
 * One dm+d product as served: its SNOMED CT id, level and name, whether dm+d marks it invalid, a status in words
 * where the level has one (a VMP's prescribing status, an AMP's availability restriction, an AMPP's discontinued
 * flag; otherwise null), and its place in the hierarchy.
 *
 * @param description the name people choose from: an AMP's name with its supplier, otherwise {@code name}
 * @param parents     the products one level up: VMP → its VTM (if any), AMP → VMP, VMPP → VMP, AMPP → VMPP and AMP
 * @param ancestors   everything up the chain, nearest first and each once (an AMPP: VMPP, AMP, VMP, VTM)
 */
public record DmdProduct(long id, ProductLevel level, String name, String description, boolean invalid,
                         String status, List<Ref> parents, List<Ref> ancestors) {

    /** Another product, named by id, level and name. */
    public record Ref(long id, ProductLevel level, String name) {
    }

    public Ref ref() {
        return new Ref(id, level, name);
    }
}

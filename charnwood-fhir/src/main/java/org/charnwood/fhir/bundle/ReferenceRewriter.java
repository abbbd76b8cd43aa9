package org.charnwood.fhir.bundle;

import org.charnwood.fhir.ResourceReferences;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

import java.sql.SQLException;
import java.util.List;

/**
 * Rewrites every {@code Reference.reference} of a resource (contained resources included) in one
 * walk of the resource tree (not into other entries its references are linked to: each entry is
 * rewritten in its own turn): each value is offered to a resolver, which returns it unchanged or
 * its replacement (a placeholder's new {@code Type/id}, a conditional reference's match).
 */
final class ReferenceRewriter {

    /** Decides what one reference becomes; may search, hence the SQLException. */
    @FunctionalInterface
    interface Resolver {
        String resolve(String reference) throws SQLException;
    }

    private ReferenceRewriter() {
    }

    /** Rewrites in place; returns the References walked (rewritten or not), for the write to check. */
    static List<Reference> rewrite(Resource resource, Resolver resolver) throws SQLException {
        List<Reference> references = ResourceReferences.ownedBy(resource);
        for (Reference reference : references) {
            String value = reference.getReference();
            if (value == null || value.isEmpty() || value.charAt(0) == '#') {
                continue;
            }
            String resolved = resolver.resolve(value);
            if (!value.equals(resolved)) {
                reference.setReference(resolved);
                // A parsed bundle may have linked the reference to the entry's resource object; the
                // rewritten text is now the truth, so drop the link lest the encoder prefer it.
                reference.setResource(null);
            }
        }
        return references;
    }
}

package org.charnwood.fhir.bundle;

import org.charnwood.fhir.ResourceReferences;
import org.hl7.fhir.r4.model.DomainResource;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.UriType;
import org.hl7.fhir.utilities.xhtml.XhtmlNode;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Rewrites every {@code Reference.reference} of a resource (contained resources included) in one
 * walk of the resource tree (not into other entries its references are linked to: each entry is
 * rewritten in its own turn): each value is offered to a resolver, which returns it unchanged or
 * its replacement (a placeholder's new {@code Type/id}, a conditional reference's match). In the same
 * walk, elements of type uri, url, canonical, oid and uuid, and the narrative's {@code <a href>} and
 * {@code <img src>}, that name another entry by its fullUrl are given that entry's {@code Type/id}:
 * R4 http.html#trules says every matching link in the bundle is replaced, not only references.
 */
final class ReferenceRewriter {

    /** Decides what one reference becomes; may search, hence the SQLException. */
    @FunctionalInterface
    interface Resolver {
        String resolve(String reference) throws SQLException;
    }

    private ReferenceRewriter() {
    }

    /**
     * Rewrites in place; returns the References walked (rewritten or not), for the write to check.
     *
     * @param placeholders the {@code Type/id} of the entry whose fullUrl is exactly the value given, else null
     * @param rewritten    told of each link other than a Reference that was replaced
     */
    static List<Reference> rewrite(Resource resource, Resolver resolver, UnaryOperator<String> placeholders,
                                   Runnable rewritten) throws SQLException {
        List<UriType> uris = new ArrayList<>();
        List<Reference> references = ResourceReferences.ownedBy(resource, uris);
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
        for (UriType uri : uris) {
            String target = placeholders.apply(uri.getValue());
            if (target != null) {
                uri.setValue(target);
                rewritten.run();
            }
        }
        rewriteNarrative(resource, placeholders, rewritten);
        return references;
    }

    /** The links of the resource's narrative and its contained resources' narratives. */
    private static void rewriteNarrative(Resource resource, UnaryOperator<String> placeholders, Runnable rewritten) {
        if (!(resource instanceof DomainResource domain)) {
            return;
        }
        if (domain.hasText() && domain.getText().hasDiv()) {
            rewriteLinks(domain.getText().getDiv(), placeholders, rewritten);
        }
        for (Resource contained : domain.getContained()) {
            rewriteNarrative(contained, placeholders, rewritten);
        }
    }

    private static void rewriteLinks(XhtmlNode node, UnaryOperator<String> placeholders, Runnable rewritten) {
        String attribute = "a".equals(node.getName()) ? "href" : "img".equals(node.getName()) ? "src" : null;
        if (attribute != null && node.getAttribute(attribute) != null) {
            String target = placeholders.apply(node.getAttribute(attribute));
            if (target != null) {
                node.setAttribute(attribute, target);
                rewritten.run();
            }
        }
        if (node.hasChildren()) {
            for (XhtmlNode child : node.getChildNodes()) {
                rewriteLinks(child, placeholders, rewritten);
            }
        }
    }
}

package org.charnwood.fhir.search;

import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.DomainResource;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

import java.util.ArrayList;
import java.util.List;

/**
 * The fast path for the FHIRPath forms the R4 search parameters actually use: dotted paths, type
 * filters ({@code as}, {@code ofType}), {@code where(resolve() is T)}, {@code where(x='v')},
 * {@code [n]} and unions. Walking HAPI's generated {@code getProperty} switch directly is an order of
 * magnitude faster than the general FHIRPath engine, which matters because every write evaluates
 * some thirty expressions.
 */
final class SimpleElementPath implements ElementPath {

    /** Where a branch starts: the indexed resource (named by type, or {@code %resource}) or the focus. */
    enum Start { RESOURCE, FOCUS }

    /** One alternative of a union: a start and the steps applied to the collection in turn. */
    record Branch(Start start, String rootType, List<Step> steps) {
    }

    /** One step of a path, applied to a whole collection (as FHIRPath does for {@code [n]}). */
    interface Step {
        List<Base> apply(List<Base> in, Resource root);
    }

    private final List<Branch> branches;

    SimpleElementPath(List<Branch> branches) {
        this.branches = List.copyOf(branches);
    }

    @Override
    public List<Base> select(Resource resource, Base focus) {
        List<Base> out = null;
        for (Branch branch : branches) {
            List<Base> current;
            if (branch.start() == Start.FOCUS) {
                current = List.of(focus);
            } else if (branch.rootType() == null || rootMatches(branch.rootType(), resource)) {
                current = List.of(resource);
            } else {
                continue;
            }
            for (Step step : branch.steps()) {
                if (current.isEmpty()) {
                    break;
                }
                current = step.apply(current, resource);
            }
            if (!current.isEmpty()) {
                if (out == null) {
                    out = new ArrayList<>(current.size());
                }
                out.addAll(current);
            }
        }
        return out == null ? List.of() : out;
    }

    private static boolean rootMatches(String rootType, Resource resource) {
        return rootType.equals(resource.fhirType()) || "Resource".equals(rootType)
                || ("DomainResource".equals(rootType) && resource instanceof DomainResource);
    }

    /** A child element by name; choice elements ({@code value[x]}) answer to their base name. */
    record Child(String name, int hash) implements Step {
        Child(String name) {
            this(name, name.hashCode());
        }

        @Override
        public List<Base> apply(List<Base> in, Resource root) {
            List<Base> out = null;
            for (Base item : in) {
                Base[] children = item.getProperty(hash, name, false);
                if (children == null) {
                    continue;
                }
                for (Base child : children) {
                    if (child != null && !child.isEmpty()) {
                        if (out == null) {
                            out = new ArrayList<>(children.length);
                        }
                        out.add(child);
                    }
                }
            }
            return out == null ? List.of() : out;
        }
    }

    /** {@code as T} / {@code ofType(T)}: keeps items of the type (Quantity also admits Age, Duration...). */
    record OfType(String type) implements Step {
        @Override
        public List<Base> apply(List<Base> in, Resource root) {
            List<Base> out = new ArrayList<>(in.size());
            for (Base item : in) {
                if (isType(item, type)) {
                    out.add(item);
                }
            }
            return out;
        }

        static boolean isType(Base item, String type) {
            return item.fhirType().equalsIgnoreCase(type) || ("Quantity".equals(type) && item instanceof Quantity);
        }
    }

    /** {@code [n]}: the n-th item of the collection. */
    record Index(int index) implements Step {
        @Override
        public List<Base> apply(List<Base> in, Resource root) {
            return index < in.size() ? List.of(in.get(index)) : List.of();
        }
    }

    /** {@code where(resolve() is T)}: references whose target is of type T, decided from the reference itself. */
    record ResolvesTo(String type) implements Step {
        @Override
        public List<Base> apply(List<Base> in, Resource root) {
            List<Base> out = new ArrayList<>(in.size());
            for (Base item : in) {
                if (type.equals(targetType(item, root))) {
                    out.add(item);
                }
            }
            return out;
        }

        static String targetType(Base item, Resource root) {
            if (item instanceof Resource r) {
                return r.fhirType();
            }
            if (!(item instanceof Reference ref)) {
                return null;
            }
            String value = ref.getReference();
            if (value == null) {
                return ref.getType();
            }
            if (value.startsWith("#") && root instanceof DomainResource dr) {
                String id = value.substring(1);
                for (Resource contained : dr.getContained()) {
                    String cid = contained.getIdPart();
                    if (id.equals(cid) || value.equals(contained.getId())) {
                        return contained.fhirType();
                    }
                }
                return null;
            }
            ReferenceTarget target = ReferenceTarget.parseAny(value);
            return target == null ? ref.getType() : target.type();
        }
    }

    /** {@code where(name='literal')}: items whose named primitive child has the value. */
    record WhereEquals(String name, int hash, String literal) implements Step {
        WhereEquals(String name, String literal) {
            this(name, name.hashCode(), literal);
        }

        @Override
        public List<Base> apply(List<Base> in, Resource root) {
            List<Base> out = new ArrayList<>(in.size());
            for (Base item : in) {
                Base[] children = item.getProperty(hash, name, false);
                if (children == null) {
                    continue;
                }
                for (Base child : children) {
                    if (child != null && child.isPrimitive() && literal.equals(child.primitiveValue())) {
                        out.add(item);
                        break;
                    }
                }
            }
            return out;
        }
    }
}

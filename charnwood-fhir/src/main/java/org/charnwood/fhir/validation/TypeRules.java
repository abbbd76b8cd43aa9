package org.charnwood.fhir.validation;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The compiled rules of one complex type, resource or backbone element: its child elements in
 * definition order and the invariants that hold on the element itself. Built once from the R4
 * StructureDefinition snapshots; walking an instance then needs no definition lookups.
 */
final class TypeRules {
    final String name;
    final boolean resource;
    ElementRule[] children = new ElementRule[0];
    Invariant[] invariants = new Invariant[0];
    /** Children by JSON property name, with a choice element listed once per type (valueQuantity, valueString...). */
    Map<String, JsonProperty> jsonProperties = Map.of();

    /** A JSON property of this type: the element it carries and the type it holds. */
    record JsonProperty(ElementRule rule, String type) {
    }

    TypeRules(String name, boolean resource) {
        this.name = name;
        this.resource = resource;
    }

    ElementRule child(String childName) {
        for (ElementRule rule : children) {
            if (rule.name.equals(childName)) {
                return rule;
            }
        }
        return null;
    }

    void children(List<ElementRule> rules) {
        this.children = rules.toArray(new ElementRule[0]);
        Map<String, JsonProperty> json = new HashMap<>();
        for (ElementRule rule : children) {
            if (rule.choice()) {
                for (String type : rule.types) {
                    json.put(rule.choiceJsonName(type), new JsonProperty(rule, type));
                }
            } else {
                json.put(rule.name, new JsonProperty(rule, rule.type()));
            }
        }
        this.jsonProperties = json;
    }

    @Override
    public String toString() {
        return name;
    }
}

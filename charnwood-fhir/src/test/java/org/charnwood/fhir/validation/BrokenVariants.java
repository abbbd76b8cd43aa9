package org.charnwood.fhir.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Predicate;

/**
 * Makes a broken variant of a resource by one random, seeded change of the kinds that break
 * profiles: an element removed or repeated, a code or code system swapped, an extension given
 * the wrong type of value or moved where it does not belong, a reference pointed at another
 * type, a unit or identifier system changed, an extra profile claimed. The same seed gives the
 * same variants, so a failing comparison can be reproduced.
 */
final class BrokenVariants {
    private static final String UK_CORE = "https://fhir.hl7.org.uk/StructureDefinition/";
    private static final List<String> SYSTEMS = List.of(
            "https://fhir.hl7.org.uk/CodeSystem/UKCore-EthnicCategoryEngland",
            "http://terminology.hl7.org/CodeSystem/v3-MaritalStatus",
            "https://fhir.hl7.org.uk/CodeSystem/UKCore-PracticeSettingCode",
            "http://snomed.info/sct",
            "http://terminology.hl7.org/CodeSystem/observation-category",
            "https://fhir.hl7.org.uk/CodeSystem/UKCore-AdmissionMethodEngland",
            "http://loinc.org",
            "urn:oid:1.2.3");
    private static final List<String> CODES = List.of("ZZZ99", "01", "A", "laboratory", "vital-signs", "kg", "1", "final");
    private static final List<String> TARGETS = List.of("Group", "Patient", "Organization", "Device", "Practitioner",
            "Location", "Encounter", "Observation", "RelatedPerson", "PractitionerRole");
    private static final List<String> EXTENSIONS = List.of("Extension-UKCore-EthnicCategory", "Extension-UKCore-BirthSex",
            "Extension-UKCore-NHSNumberVerificationStatus", "Extension-UKCore-AdmissionMethod",
            "Extension-UKCore-DeliveryChannel", "Extension-UKCore-ContactRank", "Extension-UKCore-LegalStatus",
            "Extension-UKCore-MainLocation", "Extension-UKCore-ConditionEpisode", "Extension-UKCore-ParentPresent");
    private static final List<String> UNITS = List.of("kg", "mm[Hg]", "kgg", "/min", "Cel", "%", "mg", "{beats}/min", "xyz");
    private static final List<String> VITAL_SIGNS = List.of("vitalsigns", "bodyweight", "heartrate", "bp", "bodytemp",
            "resprate", "oxygensat");
    private static final List<String> PRIMITIVES = List.of("x", "2020", "urn:oid:1.2.3", "http://example.org/x", "A", "01",
            "final", "official");

    private interface Change {
        String apply(ObjectNode resource, Random random);
    }

    private final Random random;
    private final List<Change> changes = List.of(
            this::remove, this::remove, this::remove, this::repeat, this::repeat, this::recode, this::recode,
            this::resystem, this::retypeExtension, this::retarget, this::moveExtension, this::addExtension,
            this::reunit, this::reidentify, this::claim, this::toModifier, this::reword, this::reword);

    BrokenVariants(long seed) {
        this.random = new Random(seed);
    }

    /** A broken copy of the resource and what was done to it; null when no change applied. */
    Variant of(String name, ObjectNode resource) {
        for (int attempt = 0; attempt < 10; attempt++) {
            ObjectNode copy = resource.deepCopy();
            String what = changes.get(random.nextInt(changes.size())).apply(copy, random);
            if (what != null) {
                return new Variant(name + " :: " + what, copy);
            }
        }
        return null;
    }

    record Variant(String name, ObjectNode resource) {
    }

    /** A place in the tree: the object or array holding a value, and its field name or index. */
    private record Slot(JsonNode parent, String field, int index) {
        JsonNode value() {
            return field != null ? parent.get(field) : parent.get(index);
        }

        void remove() {
            if (field != null) {
                ((ObjectNode) parent).remove(field);
            } else {
                ((ArrayNode) parent).remove(index);
            }
        }

        void set(JsonNode value) {
            if (field != null) {
                ((ObjectNode) parent).set(field, value);
            } else {
                ((ArrayNode) parent).set(index, value);
            }
        }

        @Override
        public String toString() {
            return field != null ? field : "[" + index + "]";
        }
    }

    private static List<Slot> slots(JsonNode node, boolean top) {
        List<Slot> found = new ArrayList<>();
        if (node instanceof ObjectNode object) {
            for (String field : object.properties().stream().map(e -> e.getKey()).toList()) {
                if (field.equals("resourceType") || (top && (field.equals("meta") || field.equals("id")))) {
                    continue;
                }
                found.add(new Slot(object, field, -1));
                found.addAll(slots(object.get(field), false));
            }
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                found.add(new Slot(array, null, i));
                found.addAll(slots(array.get(i), false));
            }
        }
        return found;
    }

    private static List<ObjectNode> objects(JsonNode node, Predicate<ObjectNode> test) {
        List<ObjectNode> found = new ArrayList<>();
        if (node instanceof ObjectNode object) {
            if (test.test(object)) {
                found.add(object);
            }
            object.forEach(child -> found.addAll(objects(child, test)));
        } else if (node instanceof ArrayNode array) {
            array.forEach(child -> found.addAll(objects(child, test)));
        }
        return found;
    }

    private static <T> T pick(List<T> items, Random random) {
        return items.get(random.nextInt(items.size()));
    }

    private String remove(ObjectNode resource, Random random) {
        List<Slot> slots = slots(resource, true);
        if (slots.isEmpty()) {
            return null;
        }
        Slot slot = pick(slots, random);
        slot.remove();
        return "remove " + slot;
    }

    private String repeat(ObjectNode resource, Random random) {
        List<Slot> lists = slots(resource, true).stream().filter(s -> s.value() instanceof ArrayNode a && !a.isEmpty()).toList();
        if (lists.isEmpty()) {
            return null;
        }
        Slot slot = pick(lists, random);
        ArrayNode list = (ArrayNode) slot.value();
        list.add(list.get(random.nextInt(list.size())).deepCopy());
        return "repeat " + slot;
    }

    private String recode(ObjectNode resource, Random random) {
        List<ObjectNode> codings = objects(resource, o -> o.has("system") && o.get("code") instanceof TextNode);
        if (codings.isEmpty()) {
            return null;
        }
        String code = pick(CODES, random);
        pick(codings, random).put("code", code);
        return "code " + code;
    }

    private String resystem(ObjectNode resource, Random random) {
        List<ObjectNode> codings = objects(resource, o -> o.has("system") && o.has("code"));
        if (codings.isEmpty()) {
            return null;
        }
        String system = pick(SYSTEMS, random);
        pick(codings, random).put("system", system);
        return "system " + system;
    }

    private String retypeExtension(ObjectNode resource, Random random) {
        List<ObjectNode> extensions = objects(resource, o -> o.has("url") && valueField(o) != null);
        if (extensions.isEmpty()) {
            return null;
        }
        ObjectNode extension = pick(extensions, random);
        extension.remove(valueField(extension));
        switch (random.nextInt(3)) {
            case 0 -> extension.put("valueString", "x");
            case 1 -> extension.put("valueBoolean", true);
            default -> extension.put("valueCode", "x");
        }
        return "extension value type " + extension.get("url").asText();
    }

    private static String valueField(ObjectNode extension) {
        for (String field : extension.properties().stream().map(e -> e.getKey()).toList()) {
            if (field.startsWith("value")) {
                return field;
            }
        }
        return null;
    }

    private String retarget(ObjectNode resource, Random random) {
        List<ObjectNode> references = objects(resource, o -> o.get("reference") instanceof TextNode t
                && t.asText().contains("/") && !t.asText().startsWith("urn:"));
        if (references.isEmpty()) {
            return null;
        }
        String target = pick(TARGETS, random) + "/x1";
        pick(references, random).put("reference", target);
        return "reference " + target;
    }

    private String moveExtension(ObjectNode resource, Random random) {
        List<ObjectNode> holders = objects(resource, o -> o.get("extension") instanceof ArrayNode a && !a.isEmpty());
        if (holders.isEmpty()) {
            return null;
        }
        ArrayNode from = (ArrayNode) pick(holders, random).get("extension");
        JsonNode extension = from.get(random.nextInt(from.size())).deepCopy();
        List<ObjectNode> targets = objects(resource, o -> true);
        ObjectNode target = random.nextInt(10) < 3 ? resource : pick(targets, random);
        target.withArray("extension").add(extension);
        return "move extension " + extension.path("url").asText();
    }

    private String addExtension(ObjectNode resource, Random random) {
        String name = pick(EXTENSIONS, random);
        ObjectNode extension = resource.withArray("extension").addObject().put("url", UK_CORE + name);
        switch (random.nextInt(5)) {
            case 0 -> extension.putObject("valueCodeableConcept").putArray("coding").addObject()
                    .put("system", "https://fhir.hl7.org.uk/CodeSystem/UKCore-EthnicCategoryEngland").put("code", "A");
            case 1 -> extension.put("valueBoolean", true);
            case 2 -> extension.put("valueString", "x");
            case 3 -> extension.putObject("valueReference").put("reference", "Organization/x");
            default -> extension.put("valueDateTime", "2020-01-01");
        }
        return "add extension " + name;
    }

    private String reunit(ObjectNode resource, Random random) {
        List<ObjectNode> quantities = objects(resource, o -> o.get("value") != null && o.get("value").isNumber()
                && (o.has("unit") || o.has("code")));
        if (quantities.isEmpty()) {
            return null;
        }
        String unit = pick(UNITS, random);
        pick(quantities, random).put("system", UcumUnits.SYSTEM).put("code", unit);
        return "unit " + unit;
    }

    private String reidentify(ObjectNode resource, Random random) {
        List<ObjectNode> identifiers = objects(resource, o -> o.has("system") && o.has("value") && !o.has("code"));
        if (identifiers.isEmpty()) {
            return null;
        }
        ObjectNode identifier = pick(identifiers, random);
        if (random.nextBoolean()) {
            String system = pick(List.of("https://fhir.nhs.uk/Id/nhs-number", "https://fhir.nhs.uk/Id/ods-organization-code",
                    "https://fhir.nhs.uk/Id/ods-site-code", "local-system"), random);
            identifier.put("system", system);
            return "identifier system " + system;
        }
        identifier.remove("value");
        identifier.withArray("extension").addObject().put("url", "http://example.org/x").put("valueString", "x");
        return "identifier without value";
    }

    private String claim(ObjectNode resource, Random random) {
        ArrayNode claims = resource.withObject("meta").withArray("profile");
        if ("Observation".equals(resource.path("resourceType").asText())) {
            String profile = "http://hl7.org/fhir/StructureDefinition/" + pick(VITAL_SIGNS, random);
            claims.add(profile);
            return "claim " + profile;
        }
        return null;
    }

    private String toModifier(ObjectNode resource, Random random) {
        List<ObjectNode> holders = objects(resource, o -> o.get("extension") instanceof ArrayNode a && !a.isEmpty());
        if (holders.isEmpty()) {
            return null;
        }
        ObjectNode holder = pick(holders, random);
        ArrayNode extensions = (ArrayNode) holder.get("extension");
        JsonNode extension = extensions.remove(random.nextInt(extensions.size()));
        if (extensions.isEmpty()) {
            holder.remove("extension");
        }
        holder.withArray("modifierExtension").add(extension);
        return "as modifier " + extension.path("url").asText();
    }

    private String reword(ObjectNode resource, Random random) {
        List<Slot> texts = slots(resource, true).stream().filter(s -> s.value() instanceof TextNode
                && !List.of("id", "reference", "url").contains(String.valueOf(s.field()))).toList();
        if (texts.isEmpty()) {
            return null;
        }
        Slot slot = pick(texts, random);
        String text = pick(PRIMITIVES, random);
        slot.set(TextNode.valueOf(text));
        return "value " + slot + " = " + text;
    }
}

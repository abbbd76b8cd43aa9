package org.charnwood.fhir.patch;

import com.fasterxml.jackson.databind.JsonNode;
import org.charnwood.fhir.FhirException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** RFC 6902 behaviour, one case per kind of example in the RFC's appendix, with our own documents. */
class JsonPatchTests {

    @Test
    void addsAnObjectMember() {
        assertPatched("{\"patient\":\"Ann\"}",
                "[{\"op\":\"add\",\"path\":\"/ward\",\"value\":\"B4\"}]",
                "{\"patient\":\"Ann\",\"ward\":\"B4\"}");
    }

    @Test
    void insertsIntoAnArrayShiftingLaterElementsAlong() {
        assertPatched("{\"clinics\":[\"mon\",\"wed\"]}",
                "[{\"op\":\"add\",\"path\":\"/clinics/1\",\"value\":\"tue\"}]",
                "{\"clinics\":[\"mon\",\"tue\",\"wed\"]}");
    }

    @Test
    void removesAnObjectMember() {
        assertPatched("{\"patient\":\"Ann\",\"ward\":\"B4\"}",
                "[{\"op\":\"remove\",\"path\":\"/ward\"}]",
                "{\"patient\":\"Ann\"}");
    }

    @Test
    void removesAnArrayElement() {
        assertPatched("{\"clinics\":[\"mon\",\"tue\",\"wed\"]}",
                "[{\"op\":\"remove\",\"path\":\"/clinics/1\"}]",
                "{\"clinics\":[\"mon\",\"wed\"]}");
    }

    @Test
    void replacesAValue() {
        assertPatched("{\"ward\":\"B4\",\"bed\":7}",
                "[{\"op\":\"replace\",\"path\":\"/ward\",\"value\":\"C2\"}]",
                "{\"ward\":\"C2\",\"bed\":7}");
    }

    @Test
    void movesAValueFromOneObjectToAnother() {
        assertPatched("{\"old\":{\"note\":\"falls risk\",\"bed\":7},\"current\":{\"bed\":9}}",
                "[{\"op\":\"move\",\"from\":\"/old/note\",\"path\":\"/current/note\"}]",
                "{\"old\":{\"bed\":7},\"current\":{\"bed\":9,\"note\":\"falls risk\"}}");
    }

    @Test
    void movesAnArrayElementToALaterPosition() {
        assertPatched("{\"queue\":[\"a\",\"b\",\"c\",\"d\"]}",
                "[{\"op\":\"move\",\"from\":\"/queue/1\",\"path\":\"/queue/3\"}]",
                "{\"queue\":[\"a\",\"c\",\"d\",\"b\"]}");
    }

    @Test
    void passesATestOfEqualValues() {
        assertPatched("{\"ward\":\"B4\",\"beds\":[1,2]}",
                "[{\"op\":\"test\",\"path\":\"/ward\",\"value\":\"B4\"},"
                        + "{\"op\":\"test\",\"path\":\"/beds\",\"value\":[1,2]}]",
                "{\"ward\":\"B4\",\"beds\":[1,2]}");
    }

    @Test
    void failedTestRefusesTheWholePatchWith422AndLeavesTheInputAlone() {
        JsonNode input = json("{\"ward\":\"B4\"}");
        JsonPatch patch = JsonPatch.parse("[{\"op\":\"replace\",\"path\":\"/ward\",\"value\":\"C2\"},"
                + "{\"op\":\"test\",\"path\":\"/ward\",\"value\":\"D1\"}]");

        assertThatThrownBy(() -> patch.apply(input))
                .isInstanceOfSatisfying(FhirException.class, e -> {
                    assertThat(e.status()).isEqualTo(422);
                    assertThat(e.getMessage()).contains("operation 1").contains("test /ward");
                });
        assertThat(input).isEqualTo(json("{\"ward\":\"B4\"}"));
    }

    @Test
    void addsAMemberInsideANestedObject() {
        assertPatched("{\"contact\":{}}",
                "[{\"op\":\"add\",\"path\":\"/contact/phone\",\"value\":{\"use\":\"home\"}}]",
                "{\"contact\":{\"phone\":{\"use\":\"home\"}}}");
    }

    @Test
    void ignoresMembersAnOperationDoesNotDefine() {
        assertPatched("{\"ward\":\"B4\"}",
                "[{\"op\":\"add\",\"path\":\"/bed\",\"value\":3,\"reason\":\"admitted\"}]",
                "{\"ward\":\"B4\",\"bed\":3}");
    }

    @Test
    void refusesAddingBelowAMissingParent() {
        assertNotApplicable("{\"ward\":\"B4\"}", "[{\"op\":\"add\",\"path\":\"/contact/phone\",\"value\":\"x\"}]");
    }

    @Test
    void addsAnArrayAsOneValue() {
        assertPatched("{\"clinics\":[\"mon\"]}",
                "[{\"op\":\"add\",\"path\":\"/clinics/1\",\"value\":[\"tue\",\"wed\"]}]",
                "{\"clinics\":[\"mon\",[\"tue\",\"wed\"]]}");
    }

    @Test
    void escapedTokensNameKeysContainingSlashAndTilde() {
        assertPatched("{\"a/b\":1,\"m~n\":2,\"~1\":3}",
                "[{\"op\":\"test\",\"path\":\"/a~1b\",\"value\":1},"
                        + "{\"op\":\"replace\",\"path\":\"/m~0n\",\"value\":20},"
                        + "{\"op\":\"remove\",\"path\":\"/~01\"}]",
                "{\"a/b\":1,\"m~n\":20}");
    }

    @Test
    void testTellsAStringFromTheNumberItSpells() {
        assertNotApplicable("{\"bed\":10}", "[{\"op\":\"test\",\"path\":\"/bed\",\"value\":\"10\"}]");
    }

    @Test
    void testComparesNumbersByValue() {
        assertPatched("{\"dose\":1}", "[{\"op\":\"test\",\"path\":\"/dose\",\"value\":1.0}]", "{\"dose\":1}");
    }

    @Test
    void testComparesObjectMembersInAnyOrder() {
        assertPatched("{\"a\":{\"x\":1,\"y\":2}}",
                "[{\"op\":\"test\",\"path\":\"/a\",\"value\":{\"y\":2,\"x\":1}}]",
                "{\"a\":{\"x\":1,\"y\":2}}");
    }

    @Test
    void dashAppendsToAnArray() {
        assertPatched("{\"clinics\":[\"mon\"]}",
                "[{\"op\":\"add\",\"path\":\"/clinics/-\",\"value\":\"fri\"}]",
                "{\"clinics\":[\"mon\",\"fri\"]}");
    }

    @Test
    void dashCannotBeRemovedOrReplaced() {
        assertNotApplicable("{\"c\":[1]}", "[{\"op\":\"remove\",\"path\":\"/c/-\"}]");
        assertNotApplicable("{\"c\":[1]}", "[{\"op\":\"replace\",\"path\":\"/c/-\",\"value\":2}]");
    }

    @Test
    void addAtTheArrayLengthAppendsButBeyondItIsRefused() {
        assertPatched("{\"c\":[1]}", "[{\"op\":\"add\",\"path\":\"/c/1\",\"value\":2}]", "{\"c\":[1,2]}");
        assertNotApplicable("{\"c\":[1]}", "[{\"op\":\"add\",\"path\":\"/c/2\",\"value\":2}]");
    }

    @Test
    void refusesArrayIndexesWithLeadingZeros() {
        assertNotApplicable("{\"c\":[1,2]}", "[{\"op\":\"remove\",\"path\":\"/c/01\"}]");
    }

    @Test
    void refusesRemovingWhatIsNotThere() {
        assertNotApplicable("{\"c\":[1]}", "[{\"op\":\"remove\",\"path\":\"/c/1\"}]");
        assertNotApplicable("{\"c\":[1]}", "[{\"op\":\"remove\",\"path\":\"/d\"}]");
    }

    @Test
    void replaceNeedsAnExistingTarget() {
        assertNotApplicable("{\"a\":1}", "[{\"op\":\"replace\",\"path\":\"/b\",\"value\":2}]");
    }

    @Test
    void refusesMovingAValueIntoItsOwnChild() {
        assertNotApplicable("{\"a\":{\"b\":{}}}", "[{\"op\":\"move\",\"from\":\"/a\",\"path\":\"/a/b/c\"}]");
    }

    @Test
    void copiesAreIndependentOfTheirSource() {
        assertPatched("{\"a\":{\"n\":1}}",
                "[{\"op\":\"copy\",\"from\":\"/a\",\"path\":\"/b\"},"
                        + "{\"op\":\"replace\",\"path\":\"/b/n\",\"value\":2}]",
                "{\"a\":{\"n\":1},\"b\":{\"n\":2}}");
    }

    @Test
    void replacesTheWholeDocumentAtTheEmptyPointer() {
        assertPatched("{\"a\":1}", "[{\"op\":\"replace\",\"path\":\"\",\"value\":{\"b\":2}}]", "{\"b\":2}");
    }

    @Test
    void emptyKeyIsAnOrdinaryMemberName() {
        assertPatched("{\"\":1}", "[{\"op\":\"replace\",\"path\":\"/\",\"value\":2}]", "{\"\":2}");
    }

    @Test
    void explicitNullIsAValue() {
        assertPatched("{\"a\":1}", "[{\"op\":\"add\",\"path\":\"/b\",\"value\":null}]", "{\"a\":1,\"b\":null}");
    }

    @Test
    void sameValueCanBeAppliedTwiceFromOnePatch() {
        JsonPatch patch = JsonPatch.parse("[{\"op\":\"add\",\"path\":\"/c/-\",\"value\":{\"n\":1}}]");
        JsonNode once = patch.apply(json("{\"c\":[]}"));
        JsonNode twice = patch.apply(once);
        ((com.fasterxml.jackson.databind.node.ObjectNode) twice.get("c").get(0)).put("n", 5);

        assertThat(twice.get("c").get(1).get("n").asInt()).isEqualTo(1);
    }

    @Test
    void refusesDocumentsThatAreNotPatchesWith400() {
        assertMalformed("{\"op\":\"add\"}");
        assertMalformed("[1]");
        assertMalformed("[{\"path\":\"/a\"}]");
        assertMalformed("[{\"op\":\"frobnicate\",\"path\":\"/a\"}]");
        assertMalformed("[{\"op\":\"add\",\"path\":\"/a\"}]");
        assertMalformed("[{\"op\":\"replace\",\"value\":1}]");
        assertMalformed("[{\"op\":\"move\",\"path\":\"/a\"}]");
        assertMalformed("[{\"op\":\"remove\",\"path\":\"a/b\"}]");
        assertMalformed("[{\"op\":\"remove\",\"path\":\"/a~2\"}]");
        assertMalformed("[{\"op\":\"remove\",\"path\":\"/a~\"}]");
        assertMalformed("[{\"op\":\"remove\",\"path\":\"/a\"}] trailing");
        assertMalformed("not json");
        assertMalformed("");
    }

    @Test
    void pointerDecodesAndReEncodesItsTokens() {
        JsonPointer pointer = JsonPointer.parseOrNull("/a~1b/~0/0");

        assertThat(pointer.tokens()).containsExactly("a/b", "~", "0");
        assertThat(pointer).hasToString("/a~1b/~0/0");
        assertThat(JsonPointer.parseOrNull("").isRoot()).isTrue();
        assertThat(JsonPointer.parseOrNull("/a").isProperPrefixOf(JsonPointer.parseOrNull("/a/b"))).isTrue();
        assertThat(JsonPointer.parseOrNull("/a").isProperPrefixOf(JsonPointer.parseOrNull("/ab"))).isFalse();
    }

    private static void assertPatched(String document, String patch, String expected) {
        assertThat(JsonPatch.parse(patch).apply(json(document))).isEqualTo(json(expected));
    }

    private static void assertNotApplicable(String document, String patch) {
        JsonPatch parsed = JsonPatch.parse(patch);
        assertThatThrownBy(() -> parsed.apply(json(document)))
                .isInstanceOfSatisfying(FhirException.class, e -> assertThat(e.status()).isEqualTo(422));
    }

    private static void assertMalformed(String patch) {
        assertThatThrownBy(() -> JsonPatch.parse(patch))
                .isInstanceOfSatisfying(FhirException.class, e -> assertThat(e.status()).isEqualTo(400));
    }

    private static JsonNode json(String text) {
        try {
            return JsonPatch.MAPPER.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }
}

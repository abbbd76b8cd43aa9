package org.charnwood.fhir;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

class ErrorCodeTests {

    @Test
    void everyErrorCodeIsUniqueSoItCanBeLookedUp() {
        assertThat(Arrays.stream(ErrorCode.values()).map(ErrorCode::code)).doesNotHaveDuplicates();
    }

    @Test
    void codesReadAsCharnwoodNumbers() {
        assertThat(ErrorCode.RESOURCE_NOT_FOUND.code()).isEqualTo("CHARNWOOD-1001");
    }
}

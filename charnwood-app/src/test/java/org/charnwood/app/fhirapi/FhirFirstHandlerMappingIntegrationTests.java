package org.charnwood.app.fhirapi;

import org.charnwood.app.testing.CharnwoodIntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerExecutionChain;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

import static org.assertj.core.api.Assertions.assertThat;

/** The FHIR endpoint is found without trying every mapping, and what competes for its paths still wins. */
class FhirFirstHandlerMappingIntegrationTests extends CharnwoodIntegrationTest {

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    private RequestMappingHandlerMapping mapping;

    private HandlerMethod handler(String method, String path, MockHttpServletRequest request) throws Exception {
        request.setMethod(method);
        request.setRequestURI(path);
        HandlerExecutionChain chain = mapping.getHandler(request);
        assertThat(chain).as(path).isNotNull();
        return (HandlerMethod) chain.getHandler();
    }

    @Test
    void theMappingInUseIsTheFhirFirstOne() {
        assertThat(mapping).isInstanceOf(FhirFirstHandlerMapping.Mapping.class);
    }

    @Test
    void fhirPathsGoToTheEndpointWithTheSameMatchAttributesAsAFullLookup() throws Exception {
        for (String path : new String[] {"/fhir/Patient", "/fhir/Patient/123/_history/2", "/fhir/Patient/$everything"}) {
            MockHttpServletRequest request = new MockHttpServletRequest();
            HandlerMethod method = handler("GET", path, request);
            assertThat(method.getBeanType()).isEqualTo(FhirEndpoint.class);
            assertThat(request.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE)).isEqualTo("/fhir/**");
            assertThat(request.getAttribute(HandlerMapping.PATH_WITHIN_HANDLER_MAPPING_ATTRIBUTE)).isEqualTo(path);
        }
        MockHttpServletRequest post = new MockHttpServletRequest();
        assertThat(handler("POST", "/fhir/", post).getBeanType()).isEqualTo(FhirEndpoint.class);
    }

    @Test
    void aMappingUnderFhirThatIsMoreSpecificStillWins() throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest();
        request.addHeader("Accept", "application/json");
        assertThat(handler("GET", "/fhir/.well-known/smart-configuration", request).getBeanType()
                .getSimpleName()).isEqualTo("SmartConfigurationEndpoint");
    }

    @Test
    void otherPathsAreLookedUpAsBefore() throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest();
        assertThat(handler("GET", "/staff", request).getBeanType().getSimpleName()).isEqualTo("PatientSearchPages");
    }
}

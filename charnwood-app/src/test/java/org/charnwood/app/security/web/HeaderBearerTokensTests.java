package org.charnwood.app.security.web;

import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.security.oauth2.server.resource.web.DefaultBearerTokenResolver;

import java.util.Random;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/** The fast path gives what Spring's default resolver gives, token or error, for every kind of request. */
class HeaderBearerTokensTests {

    private final HeaderBearerTokens fast = new HeaderBearerTokens();
    private final DefaultBearerTokenResolver spring = new DefaultBearerTokenResolver();

    @Test
    void headersOfEveryShapeResolveAsSpringResolvesThem() {
        String[] headers = {
                "Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJudXJzZSJ9.c2ln-_~+/", "bearer abc", "BEARER abc==",
                "Bearer abc=", "Bearer abc=d", "Bearer =", "Bearer ", "Bearer", "Bearer  abc", "Bearer abc ",
                "Basic dXNlcjpwYXNz", "Bearer a\u00e9b", "Bearerabc", "Bearer a b", "Token abc", ""};
        for (String header : headers) {
            assertSameAnswer(() -> get(header, null), header);
            assertSameAnswer(() -> get(header, "access_token=abc"), header + " with a query token");
            assertSameAnswer(() -> get(header, "_count=10"), header + " with a query");
            assertSameAnswer(() -> formPost(header), header + " with a form body token");
        }
        assertSameAnswer(() -> get(null, "access_token=abc"), "query token alone");
        assertSameAnswer(() -> get(null, null), "nothing");
    }

    @Test
    void randomTokensResolveAsSpringResolvesThem() {
        Random random = new Random(11);
        String alphabet = "aZ09-._~+/=  é!";
        for (int n = 0; n < 20_000; n++) {
            StringBuilder token = new StringBuilder();
            for (int i = random.nextInt(8); i > 0; i--) {
                token.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            String header = "Bearer " + token;
            assertSameAnswer(() -> get(header, null), header);
        }
    }

    private void assertSameAnswer(Supplier<MockHttpServletRequest> request, String what) {
        assertThat(answer(fast, request.get())).as(what).isEqualTo(answer(spring, request.get()));
    }

    private static String answer(org.springframework.security.oauth2.server.resource.web.BearerTokenResolver r,
                                 MockHttpServletRequest request) {
        try {
            return "token " + r.resolve(request);
        } catch (RuntimeException e) {
            return e.getClass().getSimpleName() + ": " + e.getMessage();
        }
    }

    private static MockHttpServletRequest get(String authorization, String query) {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/fhir/Patient");
        if (authorization != null) {
            request.addHeader("Authorization", authorization);
        }
        if (query != null) {
            request.setQueryString(query);
            for (String pair : query.split("&")) {
                String[] kv = pair.split("=", 2);
                request.addParameter(kv[0], kv[1]);
            }
        }
        return request;
    }

    private static MockHttpServletRequest formPost(String authorization) {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/fhir/Patient/_search");
        request.addHeader("Authorization", authorization);
        request.setContentType("application/x-www-form-urlencoded");
        request.addParameter("access_token", "abc");
        return request;
    }
}

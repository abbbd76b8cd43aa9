package org.charnwood.app.security.oauth;

import com.nimbusds.jwt.SignedJWT;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken;
import org.springframework.security.web.authentication.AuthenticationConverter;

import java.text.ParseException;
import java.util.HashMap;
import java.util.Map;

/**
 * SMART Backend Services clients send only {@code client_assertion} and {@code client_assertion_type}, not
 * {@code client_id}: the client is named by the assertion's {@code iss}. This reads that name (unverified; the
 * assertion is verified against that client's registered keys straight after) so the request reaches the
 * {@code private_key_jwt} check.
 */
class ClientAssertionWithoutClientId implements AuthenticationConverter {

    private static final String JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

    @Override
    public Authentication convert(HttpServletRequest request) {
        if (!"POST".equals(request.getMethod()) || !JWT_BEARER.equals(request.getParameter("client_assertion_type"))
                || request.getParameter("client_id") != null) {
            return null;
        }
        String assertion = request.getParameter("client_assertion");
        if (assertion == null) {
            return null;
        }
        String clientId;
        try {
            clientId = SignedJWT.parse(assertion).getJWTClaimsSet().getIssuer();
        } catch (ParseException e) {
            throw new OAuth2AuthenticationException(OAuth2ErrorCodes.INVALID_CLIENT);
        }
        if (clientId == null) {
            throw new OAuth2AuthenticationException(OAuth2ErrorCodes.INVALID_CLIENT);
        }
        Map<String, Object> additional = new HashMap<>();
        request.getParameterMap().forEach((name, values) -> {
            if (!name.equals("client_assertion") && !name.equals("client_assertion_type")) {
                additional.put(name, values.length == 1 ? values[0] : values);
            }
        });
        return new OAuth2ClientAuthenticationToken(clientId, new ClientAuthenticationMethod(JWT_BEARER), assertion,
                additional);
    }
}

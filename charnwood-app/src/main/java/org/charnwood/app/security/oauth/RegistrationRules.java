package org.charnwood.app.security.oauth;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a client registration must satisfy before it is stored, from the admin API or from settings alike: a bad
 * one would otherwise be kept and then fail its client with server errors, send authorisation codes to insecure
 * or script addresses, or make this server fetch internal addresses.
 */
final class RegistrationRules {

    /** RFC 8252 7.3: plain http is allowed only back to the same machine, for native and development apps. */
    private static final Set<String> LOOPBACK_HOSTS = Set.of("127.0.0.1", "[::1]", "localhost");
    /** RFC 6749 3.3: a scope token is printable ASCII without spaces, quotes or backslashes. */
    private static final Pattern SCOPE_TOKEN = Pattern.compile("[\\x21\\x23-\\x5B\\x5D-\\x7E]+");
    /** The scopes of this server's own APIs outside /fhir ({@code charnwood/admin.clients} and the like). */
    private static final Pattern CHARNWOOD_SCOPE = Pattern.compile("charnwood/[a-z][a-z.-]*");

    private RegistrationRules() {
    }

    static List<String> problems(ClientRegistration c, KeySetAddressRules addresses) {
        List<String> problems = new ArrayList<>();
        c.redirectUris().forEach(uri -> redirectProblem(uri).ifPresent(problems::add));
        if (c.redirectUris().isEmpty()
                && (ClientRegistration.PUBLIC.equals(c.kind()) || c.grantTypes().contains("authorization_code"))) {
            problems.add("a public or authorization_code client needs at least one redirect URI");
        }
        c.scopes().forEach(scope -> {
            if (!validScope(scope)) {
                problems.add("scope '" + scope + "' is not a SMART scope naming a FHIR R4 resource type, nor one of "
                        + SmartScope.CONTEXT_SCOPES + " or charnwood/...");
            }
        });
        if (ClientRegistration.ASYMMETRIC.equals(c.kind()) && c.jwks() == null && c.jwksUri() == null) {
            // Its private_key_jwt is checked against these: without them it could only fail, with a server error.
            problems.add("a confidential-asymmetric client needs jwks or jwksUri");
        }
        if (c.jwks() != null) {
            jwksProblem(c.jwks()).ifPresent(problems::add);
        }
        if (c.jwksUri() != null) {
            jwksUriProblem(c.jwksUri(), addresses).ifPresent(problems::add);
        }
        return problems;
    }

    private static java.util.Optional<String> redirectProblem(String raw) {
        String text = withoutUserInfo(raw);
        URI uri;
        try {
            uri = new URI(raw);
        } catch (java.net.URISyntaxException | NullPointerException e) {
            return java.util.Optional.of("redirect URI '" + text + "' is not a URI");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!uri.isAbsolute() || uri.getHost() == null) {
            return java.util.Optional.of("redirect URI '" + text + "' must be an absolute https URI");
        }
        if (!scheme.equals("https") && !(scheme.equals("http") && LOOPBACK_HOSTS.contains(uri.getHost()))) {
            return java.util.Optional.of("redirect URI '" + text + "' must use https (plain http only to "
                    + "127.0.0.1, [::1] or localhost)");
        }
        if (uri.getRawFragment() != null || raw.contains("#")) {
            return java.util.Optional.of("redirect URI '" + text + "' must not have a fragment");
        }
        if (uri.getRawUserInfo() != null) {
            return java.util.Optional.of("redirect URI '" + text + "' must not carry a user name or password");
        }
        return java.util.Optional.empty();
    }

    private static boolean validScope(String scope) {
        if (scope == null || !SCOPE_TOKEN.matcher(scope).matches()) {
            return false;
        }
        if (SmartScope.CONTEXT_SCOPES.contains(scope) || CHARNWOOD_SCOPE.matcher(scope).matches()) {
            return true;
        }
        return SmartScope.parse(scope) != null && SmartScope.namingUnknownTypes(List.of(scope)).isEmpty();
    }

    private static java.util.Optional<String> jwksProblem(String jwks) {
        JWKSet set;
        try {
            set = JWKSet.parse(jwks);
        } catch (java.text.ParseException | RuntimeException e) {
            return java.util.Optional.of("jwks is not a JSON Web Key Set: " + e.getMessage());
        }
        if (set.getKeys().isEmpty()) {
            return java.util.Optional.of("jwks holds no keys");
        }
        if (set.getKeys().stream().anyMatch(JWK::isPrivate)) {
            return java.util.Optional.of("jwks must hold public keys only; it holds private key parts");
        }
        return java.util.Optional.empty();
    }

    private static java.util.Optional<String> jwksUriProblem(String raw, KeySetAddressRules addresses) {
        String text = withoutUserInfo(raw);
        URI uri;
        try {
            uri = new URI(raw);
        } catch (java.net.URISyntaxException e) {
            return java.util.Optional.of("jwksUri '" + text + "' is not a URI");
        }
        if (!uri.isAbsolute() || uri.getHost() == null || uri.getRawUserInfo() != null) {
            return java.util.Optional.of("jwksUri '" + text + "' must be an absolute https URI");
        }
        if (addresses.localAllowed()) {
            return java.util.Optional.empty();
        }
        if (!"https".equalsIgnoreCase(uri.getScheme())) {
            return java.util.Optional.of("jwksUri '" + text + "' must use https");
        }
        if (localHost(uri.getHost()) && !addresses.internalAllowed(uri.getHost())) {
            return java.util.Optional.of("jwksUri '" + text + "' points at a loopback, link-local or private "
                    + "address, which this server will not fetch");
        }
        return java.util.Optional.empty();
    }

    /**
     * A literal internal address ({@link InternalAddresses}), or a localhost name; other names are resolved only
     * when the keys are fetched ({@link KeySetFetcher}), as what they resolve to can change.
     */
    private static boolean localHost(String host) {
        String h = KeySetAddressRules.normalHost(host);
        if (h.equals("localhost") || h.endsWith(".localhost")) {
            return true;
        }
        boolean literal = h.contains(":") || h.matches("[0-9.]+");
        if (!literal) {
            return false;
        }
        try {
            return InternalAddresses.internal(InetAddress.getByName(h));
        } catch (UnknownHostException e) {
            return true;
        }
    }

    /**
     * The URI as it may be shown in an error or the log: a user name and password in it are replaced, as they may
     * be a real credential.
     */
    private static String withoutUserInfo(String text) {
        return text == null ? null : text.replaceFirst("^([A-Za-z][A-Za-z0-9+.-]*://)[^/?#@]*@", "$1***@");
    }
}

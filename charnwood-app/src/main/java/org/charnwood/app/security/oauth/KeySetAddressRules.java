package org.charnwood.app.security.oauth;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which {@code jwksUri} addresses this server will fetch a client's keys from: public https ones only, unless
 * {@code charnwood.security.local-jwks-uri-allowed} (development: any address, plain http too) or the host is one
 * of {@code charnwood.security.jwks-uri-internal-hosts}, the trust's own key servers on its network, named one by
 * one. Used at registration, when stored registrations are checked, and at every fetch.
 */
@Component
public class KeySetAddressRules {

    private final boolean localAllowed;
    private final Set<String> internalHostsAllowed;

    public KeySetAddressRules(@Value("${charnwood.security.local-jwks-uri-allowed:false}") boolean localAllowed,
                              @Value("${charnwood.security.jwks-uri-internal-hosts:}") List<String> internalHosts) {
        this.localAllowed = localAllowed;
        this.internalHostsAllowed = internalHosts.stream().map(String::strip).filter(h -> !h.isEmpty())
                .map(KeySetAddressRules::normalHost).collect(Collectors.toUnmodifiableSet());
    }

    /** Development: every address and plain http. */
    boolean localAllowed() {
        return localAllowed;
    }

    /** Whether the host (as written in the URI) may be, or resolve to, an internal address. */
    boolean internalAllowed(String host) {
        return localAllowed || internalHostsAllowed.contains(normalHost(host));
    }

    /** Lower case, without brackets around an IPv6 literal or a final dot. */
    static String normalHost(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
    }
}

package org.charnwood.app.security.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.util.StringUtils;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.UrlPathHelper;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Slows down password guessing, token-endpoint abuse and floods of public self-referrals: a token bucket per
 * client address on the sign-in, token and self-referral endpoints; an empty bucket answers 429 with
 * {@code Retry-After}. In memory, per instance: enough to stop one address hammering one server, and no
 * substitute for limits at the edge.
 *
 * <p>The address is the one Tomcat gives, which is the connection's unless forwarded headers are configured for
 * trusted proxies (docs/security.md, "TLS"), so a header the caller writes picks no bucket. An IPv6 caller is
 * limited by its /64 network, not its address: one subscriber is given a whole /64 and could otherwise take a
 * fresh address, and a fresh bucket, for every request.
 */
public class RateLimits extends OncePerRequestFilter {

    private static final Set<String> LIMITED = Set.of("/signin", "/signin/second-factor", "/signin/new-password",
            "/oauth2/token", "/oauth2/introspect", "/oauth2/revoke", "/oauth2/authorize", "/self-referral");
    /** The limited addresses that are pages people use in a browser, not endpoints for apps. */
    private static final Set<String> PAGES = Set.of("/signin", "/signin/second-factor", "/signin/new-password",
            "/oauth2/authorize", "/self-referral");
    private static final int MAX_TRACKED = 100_000;

    /**
     * Written out whole, not through the page layouts: the limit is judged before the request reaches Spring MVC
     * or a session, and the page must cost next to nothing to send. It never says whether an account exists, nor
     * what was being tried.
     */
    private static final String TOO_MANY_PAGE = """
            <!DOCTYPE html>
            <html lang="en-GB">
            <head>
              <meta charset="utf-8">
              <meta name="viewport" content="width=device-width, initial-scale=1">
              <title>Too many tries - Charnwood</title>
              <style>
                body { font-family: Arial, sans-serif; margin: 0; color: #212b32; background: #f0f4f5; font-size: 19px; line-height: 1.47; }
                header { background: #005eb8; color: #fff; padding: 16px 24px; font-weight: bold; font-size: 24px; }
                main { max-width: 640px; margin: 32px auto; padding: 0 16px; }
                a { color: #005eb8; }
                a:focus { outline: 4px solid #ffeb3b; background: #ffeb3b; color: #212b32; }
              </style>
            </head>
            <body>
              <header>Charnwood</header>
              <main id="maincontent">
                <h1>Too many tries from this device</h1>
                <p>Nothing was sent. Wait a minute, then go back and try again.</p>
                <p>If you keep seeing this page, contact whoever looks after your account or this service.</p>
                <p><a href="%s">%s</a></p>
              </main>
            </body>
            </html>""";

    private final SecuritySettings.RateLimit limit;
    private final Clock clock;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();
    /**
     * Shared by every address met while {@code maxTracked} others are being limited: forgetting them all instead
     * would give each one a full bucket again, which a caller with enough addresses could bring about at will.
     */
    private final Bucket overflow;
    private final int maxTracked;
    private volatile long lastSweepMillis;

    public RateLimits(SecuritySettings.RateLimit limit, Clock clock) {
        this(limit, clock, MAX_TRACKED);
    }

    RateLimits(SecuritySettings.RateLimit limit, Clock clock, int maxTracked) {
        this.limit = limit;
        this.clock = clock;
        this.maxTracked = maxTracked;
        this.overflow = new Bucket(limit.burst(), clock.millis());
    }

    /** Tokens refill continuously at {@code perMinute}, up to {@code burst}. */
    static final class Bucket {
        private double tokens;
        private long updatedMillis;

        Bucket(double tokens, long now) {
            this.tokens = tokens;
            this.updatedMillis = now;
        }

        synchronized boolean take(long now, int perMinute, int burst) {
            // A clock set back (never by more than a moment in production) refills nothing rather than draining.
            long elapsed = Math.max(0, now - updatedMillis);
            tokens = Math.min(burst, tokens + elapsed * perMinute / 60_000.0);
            updatedMillis = Math.max(updatedMillis, now);
            if (tokens >= 1) {
                tokens -= 1;
                return true;
            }
            return false;
        }

        /** Whether it would be full by now: then it is no different from a new one, and can be forgotten. */
        synchronized boolean fullAt(long now, int perMinute, int burst) {
            return tokens + Math.max(0, now - updatedMillis) * perMinute / 60_000.0 >= burst;
        }
    }

    boolean allow(String address) {
        long now = clock.millis();
        String key = network(address);
        Bucket bucket = buckets.get(key);
        if (bucket == null) {
            if (buckets.size() >= maxTracked) {
                forgetFullBuckets(now);
            }
            bucket = buckets.size() >= maxTracked ? overflow
                    : buckets.computeIfAbsent(key, k -> new Bucket(limit.burst(), now));
        }
        return bucket.take(now, limit.perMinute(), limit.burst());
    }

    /** At most once a second, so a flood of new addresses does not make every request walk the whole map. */
    private void forgetFullBuckets(long now) {
        if (now - lastSweepMillis < 1_000) {
            return;
        }
        lastSweepMillis = now;
        buckets.values().removeIf(b -> b.fullAt(now, limit.perMinute(), limit.burst()));
    }

    /**
     * The bucket's key: an IPv4 address as it is, an IPv6 address by its /64 network (an IPv4-mapped one as the
     * IPv4 address). Anything that is not an address literal is its own key; no name is ever looked up.
     */
    static String network(String address) {
        if (address == null || address.indexOf(':') < 0) {
            return address == null ? "" : address;
        }
        String literal = address.startsWith("[") && address.endsWith("]")
                ? address.substring(1, address.length() - 1) : address;
        int zone = literal.indexOf('%');
        if (zone >= 0) {
            literal = literal.substring(0, zone);
        }
        try {
            // A literal containing ':' is parsed as an IPv6 address, never resolved.
            InetAddress parsed = InetAddress.getByName(literal);
            if (parsed instanceof Inet4Address) {
                return parsed.getHostAddress();
            }
            byte[] bytes = parsed.getAddress();
            return HexFormat.of().formatHex(bytes, 0, 8) + "::/64";
        } catch (UnknownHostException | RuntimeException e) {
            return address;
        }
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = routedPath(request);
        return !LIMITED.contains(path) || (path.equals("/oauth2/authorize") == false
                && !"POST".equals(request.getMethod()));
    }

    /**
     * The path as the application routes it, not as the client spelt it: percent-decoded ({@code /oauth2/tok%65n}
     * reaches the token endpoint), without {@code ;} path parameters, with {@code //}, {@code .} and {@code ..}
     * folded and a trailing {@code /} dropped. This filter runs before the request firewall, so it must not let
     * a spelling through that the firewall or the endpoints would accept; one it limits too many is harmless.
     */
    private static boolean acceptsHtml(HttpServletRequest request) {
        String accept = request.getHeader("Accept");
        return accept != null && accept.contains("text/html");
    }

    static String routedPath(HttpServletRequest request) {
        // Spring's shared path helper decodes and drops ";" path parameters.
        String path = UrlPathHelper.defaultInstance.getPathWithinApplication(request);
        while (path.contains("//")) {
            path = path.replace("//", "/");
        }
        path = StringUtils.cleanPath(path);
        return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (!allow(request.getRemoteAddr())) {
            int wait = Math.max(1, 60 / Math.max(1, limit.perMinute()));
            response.setStatus(429);
            response.setHeader("Retry-After", String.valueOf(wait));
            response.setHeader("Cache-Control", "no-store");
            if (PAGES.contains(routedPath(request)) && acceptsHtml(request)) {
                // A person at a sign-in or self-referral form, not an app: a page in words, saying what to do.
                response.setContentType("text/html;charset=UTF-8");
                boolean referral = routedPath(request).equals("/self-referral");
                response.getWriter().write(TOO_MANY_PAGE.formatted(referral ? "/services" : "/signin",
                        referral ? "Go back to the list of services" : "Go back to sign in"));
            } else {
                response.setContentType("application/json");
                response.getWriter().write("{\"error\":\"too_many_requests\",\"error_description\":\"slow down\"}");
            }
            return;
        }
        chain.doFilter(request, response);
    }
}

package org.charnwood.app.security.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.util.StringUtils;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.UrlPathHelper;

import java.io.IOException;
import java.time.Clock;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Slows down password guessing, token-endpoint abuse and floods of public self-referrals: a token bucket per
 * client address on the sign-in, token and self-referral endpoints; an empty bucket answers 429 with
 * {@code Retry-After}. In memory, per instance: enough to stop one address hammering one server, and no
 * substitute for limits at the edge.
 */
public class RateLimits extends OncePerRequestFilter {

    private static final Set<String> LIMITED = Set.of("/signin", "/signin/second-factor", "/signin/new-password",
            "/oauth2/token", "/oauth2/introspect", "/oauth2/revoke", "/oauth2/authorize", "/self-referral");
    private static final int MAX_TRACKED = 100_000;

    private final SecuritySettings.RateLimit limit;
    private final Clock clock;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    public RateLimits(SecuritySettings.RateLimit limit, Clock clock) {
        this.limit = limit;
        this.clock = clock;
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
    }

    boolean allow(String key) {
        long now = clock.millis();
        if (buckets.size() > MAX_TRACKED) {
            buckets.clear();
        }
        return buckets.computeIfAbsent(key, k -> new Bucket(limit.burst(), now)).take(now, limit.perMinute(), limit.burst());
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
            response.setStatus(429);
            response.setHeader("Retry-After", String.valueOf(Math.max(1, 60 / Math.max(1, limit.perMinute()))));
            response.setContentType("application/json");
            response.getWriter().write("{\"error\":\"too_many_requests\",\"error_description\":\"slow down\"}");
            return;
        }
        chain.doFilter(request, response);
    }
}

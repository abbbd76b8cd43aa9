package org.charnwood.app.security.oauth;

import org.springframework.stereotype.Component;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Launch ids minted for a SMART launch: an opaque, short-lived, single-purpose handle on the patient (and
 * encounter) a member of staff had open when they launched an app, or chose in the patient picker. The app
 * passes it back as the {@code launch} parameter and the token response carries the context it stands for.
 * A launch id is good for one token, for the person who minted it: anyone else who learns it (from a URL in a
 * log or a browser history) cannot open an app on that patient with it, nor can it be replayed.
 * Held in memory: a launch is used within seconds, and a restart simply asks the user to launch again.
 */
@Component
public class LaunchContexts {

    private static final Duration LIFETIME = Duration.ofMinutes(10);
    private static final SecureRandom RANDOM = new SecureRandom();

    /** What a launch id stands for. */
    public record Launch(String patient, String encounter, String mintedBy, Instant expiresAt) {
    }

    private final Map<String, Launch> launches = new ConcurrentHashMap<>();
    private final Clock clock;

    public LaunchContexts(Clock clock) {
        this.clock = clock;
    }

    public String mint(String patient, String encounter, String mintedBy) {
        byte[] bytes = new byte[18];
        RANDOM.nextBytes(bytes);
        String id = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        Instant now = clock.instant();
        launches.values().removeIf(l -> l.expiresAt().isBefore(now));
        launches.put(id, new Launch(patient, encounter, mintedBy, now.plus(LIFETIME)));
        return id;
    }

    /**
     * Uses up the launch a launch id stands for, when {@code user} (an account id) minted it; null when unknown,
     * expired, already used or minted by someone else. Someone else's attempt leaves it for its owner.
     */
    public Launch use(String id, String user) {
        if (id == null) {
            return null;
        }
        Launch launch = launches.get(id);
        if (launch == null || launch.expiresAt().isBefore(clock.instant()) || !launch.mintedBy().equals(user)) {
            return null;
        }
        // Removed only if still there: of two requests racing with the same launch id, one gets it.
        return launches.remove(id, launch) ? launch : null;
    }
}

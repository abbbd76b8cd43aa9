package org.charnwood.app.demo;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code charnwood.demo.*} settings: whether synthetic demo data is loaded at start-up, how many
 * patients, and the seed that makes the population repeatable.
 */
@ConfigurationProperties("charnwood.demo")
public record DemoDataSettings(boolean enabled, int patients, long seed) {
}

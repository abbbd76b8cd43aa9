package org.charnwood.bench;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A subcommand and its {@code --name value} (or {@code --name=value}) options. A bare {@code --name} followed by
 * another option or nothing is a flag, read as {@code true}.
 */
record Options(String command, Map<String, String> values) {

    Options {
        values = Map.copyOf(values);
    }

    static Options parse(String... args) {
        if (args.length == 0 || args[0].startsWith("--")) {
            throw new IllegalArgumentException("the first argument must be a command");
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 1; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--") || arg.length() == 2) {
                throw new IllegalArgumentException("expected --name value, got '" + arg + "'");
            }
            String name = arg.substring(2);
            int eq = name.indexOf('=');
            if (eq >= 0) {
                values.put(name.substring(0, eq), name.substring(eq + 1));
            } else if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                values.put(name, args[++i]);
            } else {
                values.put(name, "true");
            }
        }
        return new Options(args[0], values);
    }

    /** Fails on any option not in {@code known}, so that a typo does not silently run with a default. */
    Options allowOnly(String... known) {
        Set<String> unknown = new TreeSet<>(values.keySet());
        Arrays.asList(known).forEach(unknown::remove);
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException(command + " does not take --" + String.join(", --", unknown)
                    + "; it takes --" + String.join(", --", known));
        }
        return this;
    }

    String text(String name) {
        String value = values.get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(command + " needs --" + name);
        }
        return value;
    }

    String text(String name, String fallback) {
        return values.getOrDefault(name, fallback);
    }

    int integer(String name, int fallback) {
        String value = values.get(name);
        if (value == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(value.replace("_", "").replace(",", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be a whole number, got '" + value + "'");
        }
    }

    boolean flag(String name, boolean fallback) {
        String value = values.get(name);
        return value == null ? fallback : Boolean.parseBoolean(value);
    }
}

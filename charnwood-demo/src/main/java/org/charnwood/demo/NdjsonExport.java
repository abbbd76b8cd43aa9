package org.charnwood.demo;

import java.nio.file.Path;
import java.util.Map;

/**
 * What {@link NdjsonWriter} wrote: the folder, one {@code <ResourceType>.ndjson} file per type, and how many
 * resources each holds (trust directory included).
 */
public record NdjsonExport(Path directory, int patients, Map<String, Long> resourceCounts) {

    public NdjsonExport {
        resourceCounts = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(resourceCounts));
    }

    public long totalResources() {
        return resourceCounts.values().stream().mapToLong(Long::longValue).sum();
    }

    public Path file(String resourceType) {
        return directory.resolve(resourceType + ".ndjson");
    }
}

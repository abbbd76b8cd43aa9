package org.charnwood.bench;

import org.charnwood.bench.PatientCorpus.TypedJson;
import org.charnwood.bench.RawBaseline.BatchSource;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A folder of Bulk Data NDJSON, one {@code <ResourceType>.ndjson} file per type, read in load order: the trust's
 * directory types first, then Patient, then the rest by name. The server accepts any order in one import; this
 * order just mirrors how an export is usually loaded and keeps runs identical.
 */
record NdjsonFiles(List<Path> files) {

    private static final List<String> FIRST = List.of("Organization", "Location", "HealthcareService",
            "Practitioner", "PractitionerRole", "CareTeam", "Patient");

    NdjsonFiles {
        files = List.copyOf(files);
    }

    static NdjsonFiles in(Path dir) {
        try (Stream<Path> listing = Files.list(dir)) {
            return new NdjsonFiles(listing.filter(p -> p.getFileName().toString().endsWith(".ndjson"))
                    .sorted(Comparator.comparingInt(NdjsonFiles::rank).thenComparing(NdjsonFiles::type))
                    .toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String type(Path file) {
        String name = file.getFileName().toString();
        return name.substring(0, name.length() - ".ndjson".length());
    }

    private static int rank(Path file) {
        int i = FIRST.indexOf(type(file));
        return i < 0 ? FIRST.size() : i;
    }

    long bytes() {
        long total = 0;
        for (Path f : files) {
            try {
                total += Files.size(f);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return total;
    }

    /**
     * All files as one stream, a newline after each so a file without a final newline cannot glue its last line
     * to the next file's first (blank lines are allowed in NDJSON imports). Opens files lazily, one at a time.
     */
    InputStream concatenated() {
        Iterator<Path> pending = files.iterator();
        return new SequenceInputStream(new Enumeration<InputStream>() {
            private boolean separatorNext;

            @Override
            public boolean hasMoreElements() {
                return separatorNext || pending.hasNext();
            }

            @Override
            public InputStream nextElement() {
                if (separatorNext) {
                    separatorNext = false;
                    return new ByteArrayInputStream(new byte[] {'\n'});
                }
                separatorNext = true;
                try {
                    return Files.newInputStream(pending.next());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        });
    }

    /** The lines of every file as batches of {@code size} typed resources, read as writers ask for them. */
    BatchSource batches(int size) {
        Iterator<Path> pending = files.iterator();
        return new BatchSource() {
            private BufferedReader reader;
            private String type;

            @Override
            public synchronized List<TypedJson> next() {
                List<TypedJson> batch = new ArrayList<>(size);
                try {
                    while (batch.size() < size) {
                        if (reader == null) {
                            if (!pending.hasNext()) {
                                break;
                            }
                            Path file = pending.next();
                            type = type(file);
                            reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
                        }
                        String line = reader.readLine();
                        if (line == null) {
                            reader.close();
                            reader = null;
                        } else if (!line.isBlank()) {
                            batch.add(new TypedJson(type, line));
                        }
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                return batch.isEmpty() ? null : batch;
            }
        };
    }
}

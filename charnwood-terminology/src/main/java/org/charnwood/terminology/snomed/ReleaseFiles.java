package org.charnwood.terminology.snomed;

import org.charnwood.fhir.ErrorCode;
import org.charnwood.fhir.FhirException;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The RF2 snapshot files of one edition, found by name in any number of release folders or zip files (for
 * example the International release plus the UK clinical and drug extensions, or one UK monolith). Full and
 * delta files are not read: only the snapshot is loaded.
 */
public final class ReleaseFiles {

    /** One RF2 file: where it came from, its name, its size and how to open it. */
    public record Rf2File(Rf2Kind kind, String source, String name, long size, Opener opener) {

        public InputStream open() throws IOException {
            return opener.open();
        }

        /** Name as shown in refusals: the path inside the release, so the file can be found. */
        public String displayName() {
            return source;
        }
    }

    @FunctionalInterface
    public interface Opener {
        InputStream open() throws IOException;
    }

    private final List<Path> roots;
    private final Map<Rf2Kind, List<Rf2File>> files;

    private ReleaseFiles(List<Path> roots, Map<Rf2Kind, List<Rf2File>> files) {
        this.roots = roots;
        this.files = files;
    }

    /** Finds the RF2 snapshot files under every path given (folders are searched recursively; zips are read in place). */
    public static ReleaseFiles find(List<Path> paths) {
        Map<Rf2Kind, List<Rf2File>> found = new EnumMap<>(Rf2Kind.class);
        for (Rf2Kind kind : Rf2Kind.values()) {
            found.put(kind, new ArrayList<>());
        }
        for (Path path : paths) {
            if (!Files.exists(path)) {
                throw refused(ErrorCode.TERMINOLOGY_RELEASE_NOT_FOUND, "release path " + path + " does not exist");
            }
            try {
                if (Files.isDirectory(path)) {
                    try (Stream<Path> walk = Files.walk(path)) {
                        for (Path file : walk.filter(Files::isRegularFile).sorted().toList()) {
                            addFile(found, file);
                        }
                    }
                } else {
                    addFile(found, path);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        for (Rf2Kind kind : Rf2Kind.values()) {
            found.get(kind).sort(Comparator.comparing(Rf2File::source));
            if (kind.required() && found.get(kind).isEmpty()) {
                throw refused(ErrorCode.TERMINOLOGY_RELEASE_REFUSED, "required RF2 file missing: no file named like "
                        + kind.pattern() + " in " + paths);
            }
        }
        return new ReleaseFiles(List.copyOf(paths), found);
    }

    private static void addFile(Map<Rf2Kind, List<Rf2File>> found, Path file) throws IOException {
        String name = file.getFileName().toString();
        if (name.toLowerCase().endsWith(".zip")) {
            try (ZipFile zip = new ZipFile(file.toFile())) {
                for (ZipEntry entry : zip.stream().filter(e -> !e.isDirectory()).toList()) {
                    String entryName = entry.getName().substring(entry.getName().lastIndexOf('/') + 1);
                    Rf2Kind kind = Rf2Kind.of(entryName);
                    if (kind != null && !entry.getName().contains("/Full/") && !entry.getName().contains("/Delta/")) {
                        String entryPath = entry.getName();
                        found.get(kind).add(new Rf2File(kind, name + "!/" + entryPath, entryName, entry.getSize(),
                                () -> zipEntry(file, entryPath)));
                    }
                }
            }
            return;
        }
        Rf2Kind kind = Rf2Kind.of(name);
        if (kind != null) {
            found.get(kind).add(new Rf2File(kind, file.toString(), name, Files.size(file),
                    () -> Files.newInputStream(file)));
        }
    }

    private static InputStream zipEntry(Path zipPath, String entryName) throws IOException {
        ZipFile zip = new ZipFile(zipPath.toFile());
        ZipEntry entry = zip.getEntry(entryName);
        InputStream in = zip.getInputStream(entry);
        // Closing the entry stream closes the zip too.
        return new java.io.FilterInputStream(in) {
            @Override
            public void close() throws IOException {
                super.close();
                zip.close();
            }
        };
    }

    public List<Rf2File> of(Rf2Kind kind) {
        return files.get(kind);
    }

    public List<Path> roots() {
        return roots;
    }

    /**
     * Identifies the release content by file names and sizes, so loading the same release twice is recognised and
     * skipped. (Releases are published once per date and never edited in place.)
     */
    public String fingerprint() {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            files.values().stream().flatMap(List::stream).map(f -> f.name() + ":" + f.size()).sorted()
                    .forEach(s -> digest.update((s + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A label from the release folder or zip names, e.g. "SnomedCT_InternationalRF2_PRODUCTION_20250101T120000Z". */
    public String label() {
        return String.join(" + ", roots.stream().map(p -> p.getFileName().toString()).toList());
    }

    static FhirException refused(ErrorCode code, String message) {
        return FhirException.of(422, code, IssueType.INVALID, message);
    }
}

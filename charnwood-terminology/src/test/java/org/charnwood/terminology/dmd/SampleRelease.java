package org.charnwood.terminology.dmd;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Copies of the sample dm+d release that tests may break or change. */
final class SampleRelease {

    private SampleRelease() {
    }

    /** Writes the sample release into {@code folder}, with its sub-folders, and returns the folder. */
    static Path copyTo(Path folder) {
        DmdReleaseFiles sample = DmdReleaseFiles.sample();
        try {
            for (String path : sample.paths()) {
                Path target = folder.resolve(path);
                Files.createDirectories(target.getParent());
                try (InputStream in = sample.open(path)) {
                    Files.copy(in, target);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return folder;
    }

    /**
     * A copy of the sample in {@code folder} that is a different release from the sample itself (one VTM's name
     * changed), so that it is loaded rather than found already served.
     */
    static Path changedCopyTo(Path folder) {
        copyTo(folder);
        edit(folder, "f_vtm2_3260821.xml", "<NM>Co-amilofruse</NM>", "<NM>Co-amilofruse new</NM>");
        return folder;
    }

    /** Replaces the first occurrence of {@code from} in one file of a copied release. */
    static void edit(Path folder, String file, String from, String to) {
        Path path = folder.resolve(file);
        try {
            String text = Files.readString(path, StandardCharsets.UTF_8);
            if (!text.contains(from)) {
                throw new IllegalArgumentException(file + " has no " + from);
            }
            Files.writeString(path, text.replaceFirst(java.util.regex.Pattern.quote(from),
                    java.util.regex.Matcher.quoteReplacement(to)), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The 1-based line of the first occurrence of {@code text} in a file of a copied release. */
    static int lineOf(Path folder, String file, String text) {
        try {
            var lines = Files.readAllLines(folder.resolve(file), StandardCharsets.UTF_8);
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).contains(text)) {
                    return i + 1;
                }
            }
            throw new IllegalArgumentException(file + " has no " + text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Zips a copied release as TRUD delivers it. */
    static Path zip(Path folder, Path zip) {
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip));
             var walk = Files.walk(folder)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                out.putNextEntry(new ZipEntry(folder.relativize(p).toString().replace('\\', '/')));
                Files.copy(p, out);
                out.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return zip;
    }
}

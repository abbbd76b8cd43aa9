package org.charnwood.terminology.dmd;

import org.charnwood.fhir.ErrorCode;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * The files of one dm+d release, wherever they are: a folder as TRUD's zip unpacks to (bonus files such as
 * HISTORIC_CODES in sub-folders), the zip itself (zips inside it, as the GTIN and bonus files come, are opened
 * too), or the sample release on the class path. Paths are relative, with {@code /}, and are what refusals name.
 */
public interface DmdReleaseFiles {

    /** Where the release came from, for the log and the release record. */
    String source();

    /** Relative paths of every file in the release. */
    List<String> paths();

    InputStream open(String path) throws IOException;

    /** A release folder, or a release zip (unpacked into a temporary folder that is removed when the JVM exits). */
    static DmdReleaseFiles of(Path folderOrZip) {
        if (Files.isDirectory(folderOrZip)) {
            return folder(folderOrZip, folderOrZip.toString());
        }
        if (Files.isRegularFile(folderOrZip) && folderOrZip.getFileName().toString().toLowerCase().endsWith(".zip")) {
            try {
                Path into = Files.createTempDirectory("dmd-release");
                unzip(folderOrZip, into);
                deleteOnExit(into);
                return folder(into, folderOrZip.toString());
            } catch (IOException e) {
                throw new DmdReleaseRefused(ErrorCode.DMD_RELEASE_UNREADABLE, folderOrZip.getFileName().toString(), 0,
                        "zip could not be unpacked: " + e.getMessage());
            }
        }
        throw new DmdReleaseRefused(ErrorCode.DMD_RELEASE_UNREADABLE, null, 0,
                folderOrZip + " is neither a release folder nor a .zip");
    }

    /** The small dm+d extract shipped with the terminology module, for the demo and tests. */
    static DmdReleaseFiles sample() {
        String base = "terminology/dmd-sample/";
        List<String> files = List.of("f_lookup2_3260821.xml", "f_ingredient2_3260821.xml", "f_vtm2_3260821.xml",
                "f_vmp2_3260821.xml", "f_amp2_3260821.xml", "f_vmpp2_3260821.xml", "f_ampp2_3260821.xml",
                "f_gtin2_0260821.xml", "f_bnf1_0260821.xml", "HISTORIC_CODES/f_history1_0260821.xml",
                "VTM_INGREDIENTS/f_vtm_ing1_0260821.xml");
        return new DmdReleaseFiles() {
            @Override
            public String source() {
                return "classpath:" + base;
            }

            @Override
            public List<String> paths() {
                return files;
            }

            @Override
            public InputStream open(String path) throws IOException {
                InputStream in = DmdReleaseFiles.class.getClassLoader().getResourceAsStream(base + path);
                if (in == null) {
                    throw new IOException("not on the class path: " + base + path);
                }
                return in;
            }
        };
    }

    private static DmdReleaseFiles folder(Path root, String source) {
        List<String> files;
        try (Stream<Path> walk = Files.walk(root)) {
            files = walk.filter(Files::isRegularFile)
                    .map(p -> root.relativize(p).toString().replace('\\', '/'))
                    .sorted(Comparator.naturalOrder())
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new DmdReleaseFiles() {
            @Override
            public String source() {
                return source;
            }

            @Override
            public List<String> paths() {
                return files;
            }

            @Override
            public InputStream open(String path) throws IOException {
                return Files.newInputStream(root.resolve(path));
            }
        };
    }

    private static void unzip(Path zip, Path into) throws IOException {
        List<Path> nested = new ArrayList<>();
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            for (ZipEntry entry; (entry = in.getNextEntry()) != null; ) {
                Path target = into.resolve(entry.getName()).normalize();
                if (!target.startsWith(into)) {
                    throw new IOException("entry outside the zip's folder: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                    continue;
                }
                Files.createDirectories(target.getParent());
                Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
                if (target.getFileName().toString().toLowerCase().endsWith(".zip")) {
                    nested.add(target);
                }
            }
        }
        for (Path inner : nested) {
            String name = inner.getFileName().toString();
            Path folder = inner.resolveSibling(name.substring(0, name.length() - 4));
            Files.createDirectories(folder);
            unzip(inner, folder);
            Files.delete(inner);
        }
    }

    private static void deleteOnExit(Path folder) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try (Stream<Path> walk = Files.walk(folder)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                // a temporary folder left behind is harmless
            }
        }));
    }
}

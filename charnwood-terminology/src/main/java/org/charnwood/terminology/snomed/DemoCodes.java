package org.charnwood.terminology.snomed;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The SNOMED CT codes the demo data uses, with their displays: a partial release for running Charnwood without
 * a licensed edition. See {@code terminology/snomed-demo-codes.md}.
 */
public final class DemoCodes {

    public static final String RESOURCE = "terminology/snomed-demo-codes.tsv";
    public static final String LABEL = "Charnwood demo code list (partial)";

    private DemoCodes() {
    }

    public static List<SnomedImporter.CodeListEntry> load() {
        InputStream in = DemoCodes.class.getClassLoader().getResourceAsStream(RESOURCE);
        if (in == null) {
            throw new IllegalStateException(RESOURCE + " is not on the classpath");
        }
        List<SnomedImporter.CodeListEntry> codes = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            reader.readLine();
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (!line.isBlank()) {
                    String[] fields = line.split("\t", 2);
                    codes.add(new SnomedImporter.CodeListEntry(Long.parseLong(fields[0].trim()), fields[1].trim()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return codes;
    }
}

package org.charnwood.terminology.snomed;

import org.charnwood.fhir.ErrorCode;
import org.charnwood.fhir.FhirException;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Reads one RF2 file row by row: checks the header against the columns its kind must have, splits rows on tabs
 * and checks each value, refusing the release with the file and line number of the first bad value.
 */
final class Rf2Reader implements AutoCloseable {

    private final ReleaseFiles.Rf2File file;
    private final BufferedReader in;
    private final String[] fields;
    private long line;

    Rf2Reader(ReleaseFiles.Rf2File file) throws IOException {
        this.file = file;
        // Malformed UTF-8 is refused rather than silently replaced: terms are shown to clinicians.
        var decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        this.in = new BufferedReader(new InputStreamReader(file.open(), decoder), 1 << 16);
        List<String> columns = file.kind().columns();
        this.fields = new String[columns.size()];
        String header = readLine();
        if (header == null) {
            throw refuse("file is empty (no header row)");
        }
        if (header.startsWith("\uFEFF")) {
            header = header.substring(1);
        }
        if (!header.equals(String.join("\t", columns))) {
            throw refuse("header is '" + header.replace('\t', '|') + "' but a " + file.kind() + " file must have '"
                    + String.join("|", columns) + "'");
        }
    }

    private String readLine() throws IOException {
        String text;
        try {
            text = in.readLine();
        } catch (CharacterCodingException e) {
            line++;
            throw refuse("text is not valid UTF-8");
        }
        if (text == null) {
            return null;
        }
        line++;
        int n = text.length();
        return n > 0 && text.charAt(n - 1) == '\r' ? text.substring(0, n - 1) : text;
    }

    /** Reads the next row into {@link #fields()}; false at the end of the file. */
    boolean next() throws IOException {
        String text = readLine();
        if (text == null) {
            return false;
        }
        int count = 0;
        int start = 0;
        int n = text.length();
        for (int i = 0; i <= n; i++) {
            if (i == n || text.charAt(i) == '\t') {
                if (count == fields.length) {
                    throw refuse("row has more than the " + fields.length + " columns of the header");
                }
                fields[count++] = text.substring(start, i);
                start = i + 1;
            }
        }
        if (count != fields.length) {
            throw refuse("row has " + count + " columns but the header has " + fields.length
                    + (text.isEmpty() ? " (empty line)" : " (truncated row?)"));
        }
        return true;
    }

    String[] fields() {
        return fields;
    }

    long line() {
        return line;
    }

    String columnName(int column) {
        return file.kind().columns().get(column);
    }

    String fileName() {
        return file.displayName();
    }

    /** A column holding an SCTID: digits with a valid Verhoeff check digit. */
    long sctid(int column) {
        String text = fields[column];
        if (!Sctid.valid(text)) {
            throw refuse(file.kind().columns().get(column) + " '" + text + "' is not a valid SCTID");
        }
        return Long.parseLong(text);
    }

    /** A row id of a concept or description file, which must also be in the right partition. */
    long componentId(int column, Sctid.Partition partition) {
        long id = sctid(column);
        if (Sctid.partition(fields[column]) != partition) {
            throw refuse("id '" + fields[column] + "' is not a " + partition.name().toLowerCase() + " id");
        }
        return id;
    }

    /** Any positive number (relationship row ids, which the loader keeps but does not otherwise use). */
    long number(int column) {
        String text = fields[column];
        if (text.isEmpty() || text.length() > 18) {
            throw refuse(file.kind().columns().get(column) + " '" + text + "' is not a number");
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                throw refuse(file.kind().columns().get(column) + " '" + text + "' is not a number");
            }
        }
        return Long.parseLong(text);
    }

    int integer(int column) {
        long value = number(column);
        if (value > Integer.MAX_VALUE) {
            throw refuse(file.kind().columns().get(column) + " '" + fields[column] + "' is too large");
        }
        return (int) value;
    }

    boolean active(int column) {
        String text = fields[column];
        if (text.equals("1")) {
            return true;
        }
        if (text.equals("0")) {
            return false;
        }
        throw refuse("active '" + text + "' is neither 0 nor 1");
    }

    int effectiveTime(int column) {
        String text = fields[column];
        if (text.length() != 8) {
            throw refuse("effectiveTime '" + text + "' is not a date YYYYMMDD");
        }
        int value = (int) number(column);
        int month = value / 100 % 100;
        int day = value % 100;
        if (month < 1 || month > 12 || day < 1 || day > 31) {
            throw refuse("effectiveTime '" + text + "' is not a date YYYYMMDD");
        }
        return value;
    }

    /** A refset member's UUID (or, in a few older files, any non-empty id). */
    String memberId(int column) {
        String text = fields[column];
        if (text.isBlank()) {
            throw refuse("member id is empty");
        }
        return text;
    }

    String text(int column, boolean mayBeEmpty) {
        String text = fields[column];
        if (!mayBeEmpty && text.isEmpty()) {
            throw refuse(file.kind().columns().get(column) + " is empty");
        }
        return text;
    }

    FhirException refuse(String problem) {
        return ReleaseFiles.refused(ErrorCode.TERMINOLOGY_RELEASE_REFUSED, fileName() + " line " + line + ": " + problem);
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}

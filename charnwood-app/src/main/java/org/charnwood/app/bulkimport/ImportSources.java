package org.charnwood.app.bulkimport;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The NDJSON files of one import read as one stream, the body of one {@code $import}: each file in turn, a line
 * break added after a file that lacks its last one, so that no two files' lines run together. While it is read it
 * notes where each file starts in the body and how many resources (non-blank lines) it holds, so that the
 * server's "request body line N" can be told as a file and its own line. Files are read as they are sent, never
 * whole into memory.
 */
final class ImportSources extends InputStream {

    /** One file of the import and what reading it found. */
    static final class Source {
        final Path file;
        /** The body line its first line is, once it has been started. */
        long firstLine;
        long resources;

        Source(Path file) {
            this.file = file;
        }
    }

    private final List<Source> sources;
    private int current = -1;
    private InputStream in;
    private boolean needsNewline;
    private long bodyLine = 1;
    private boolean lineHasContent;
    private int lastByte = '\n';

    private ImportSources(List<Source> sources) {
        this.sources = sources;
    }

    /** The files named, a folder standing for its {@code .ndjson} files in name order. */
    static ImportSources of(List<String> names) throws IOException {
        List<Source> sources = new ArrayList<>();
        for (String name : names) {
            Path path = Path.of(name);
            if (Files.isDirectory(path)) {
                try (Stream<Path> files = Files.list(path)) {
                    files.filter(f -> f.getFileName().toString().endsWith(".ndjson") && Files.isRegularFile(f))
                            .sorted().forEach(f -> sources.add(new Source(f)));
                }
            } else if (Files.isRegularFile(path)) {
                sources.add(new Source(path));
            } else {
                throw new IOException(name + " is neither a file nor a folder");
            }
        }
        return new ImportSources(sources);
    }

    List<Source> sources() {
        return sources;
    }

    /** The file a line of the body is in, and its line there, as {@code "FILE line M"}; null when beyond them. */
    String locate(long line) {
        Source found = sourceOf(line);
        return found == null ? null : found.file + " line " + (line - found.firstLine + 1);
    }

    /** The file a line of the body is in, or null. */
    Source sourceOf(long line) {
        Source found = null;
        for (int i = 0; i <= Math.min(current, sources.size() - 1); i++) {
            if (sources.get(i).firstLine <= line) {
                found = sources.get(i);
            }
        }
        return found;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        while (true) {
            if (needsNewline) {
                needsNewline = false;
                buffer[offset] = '\n';
                count(buffer, offset, 1);
                return 1;
            }
            if (in == null) {
                if (current + 1 >= sources.size()) {
                    return -1;
                }
                current++;
                sources.get(current).firstLine = bodyLine;
                in = Files.newInputStream(sources.get(current).file);
            }
            int n = in.read(buffer, offset, length);
            if (n > 0) {
                count(buffer, offset, n);
                return n;
            }
            in.close();
            in = null;
            needsNewline = lastByte != '\n';
        }
    }

    private void count(byte[] buffer, int offset, int n) {
        Source source = sources.get(current);
        for (int i = offset; i < offset + n; i++) {
            byte b = buffer[i];
            if (b == '\n') {
                if (lineHasContent) {
                    source.resources++;
                }
                lineHasContent = false;
                bodyLine++;
            } else if (b != ' ' && b != '\t' && b != '\r') {
                lineHasContent = true;
            }
            lastByte = b;
        }
    }

    @Override
    public void close() throws IOException {
        if (in != null) {
            in.close();
        }
    }
}

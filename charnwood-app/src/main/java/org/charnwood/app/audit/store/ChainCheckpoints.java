package org.charnwood.app.audit.store;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where each audit chain ended, written down outside the audit tables. A hash chain shows a row changed, removed or
 * inserted anywhere but at its end: rows removed from the end leave a shorter chain that is just as whole. So the
 * application publishes each chain's last seq and hash from time to time (AuditCheckpoints), as lines of text
 * appended to a file and written to its log, and verification checks that every row so published is still on its
 * chain with the same hash; one that is gone, or changed, means the chain was cut back or rewritten.
 *
 * <p>A checkpoint's text is {@code chain=<n> seq=<seq> hash=<64 hex digits>}, found anywhere in a line, so the file
 * and lines taken from the application's log (plain or JSON) are read alike. It names no patient and no person.
 */
public final class ChainCheckpoints {

    /** The chains there are: 0 for writes and the like, 1 for reads ({@link ReadChain}). */
    static final int[] CHAINS = {0, ReadChain.CHAIN};

    private static final Pattern TEXT = Pattern.compile("\\bchain=(\\d{1,5}) seq=(\\d{1,19}) hash=([0-9a-f]{64})\\b");

    /** Chain {@code chain} ended at row {@code seq}, whose hash was {@code hash} (hex). */
    public record Checkpoint(int chain, long seq, String hash) {

        /** As it is written to the file and the log. */
        public String text() {
            return "chain=" + chain + " seq=" + seq + " hash=" + hash;
        }
    }

    private ChainCheckpoints() {
    }

    /** The checkpoint in a line of the file or of the log, or null if it holds none. */
    static Checkpoint parse(String line) {
        Matcher m = TEXT.matcher(line);
        if (!m.find()) {
            return null;
        }
        try {
            return new Checkpoint(Integer.parseInt(m.group(1)), Long.parseLong(m.group(2)), m.group(3));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /**
     * Each chain's last committed row. A chain with a row at or after {@code from.get(chain)} is looked for there only,
     * so the look-up stays short however long the table; a chain with none there (its last published row removed,
     * which the caller reports) is left out, as is a chain without rows. Chain numbers are written into the
     * statement so that chain 0 is found through its partial index.
     */
    public static List<Checkpoint> tails(Connection c, Map<Integer, Long> from) throws SQLException {
        List<Checkpoint> tails = new ArrayList<>();
        for (int chain : CHAINS) {
            try (PreparedStatement st = c.prepareStatement("select seq, hash from audit.event where chain = " + chain
                    + " and seq >= ? order by seq desc limit 1")) {
                st.setLong(1, from.getOrDefault(chain, Long.MIN_VALUE));
                try (ResultSet rs = st.executeQuery()) {
                    if (rs.next()) {
                        tails.add(new Checkpoint(chain, rs.getLong(1), HexFormat.of().formatHex(rs.getBytes(2))));
                    }
                }
            }
        }
        return tails;
    }

    /**
     * Appends the lines to the file and forces them to disk before returning, so a checkpoint that was published
     * survives a crash. The file and its folder are created when missing (the folder's entry is forced too).
     */
    public static void append(Path file, List<String> lines) throws IOException {
        Path folder = file.toAbsolutePath().getParent();
        boolean created = !Files.exists(file);
        if (created) {
            Files.createDirectories(folder);
        }
        StringBuilder text = new StringBuilder();
        lines.forEach(line -> text.append(line).append('\n'));
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            ByteBuffer bytes = ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.US_ASCII));
            while (bytes.hasRemaining()) {
                out.write(bytes);
            }
            out.force(true);
        }
        if (created) {
            try (FileChannel dir = FileChannel.open(folder, StandardOpenOption.READ)) {
                dir.force(true);
            } catch (IOException e) {
                // Not every platform opens a folder as a channel; the file's own contents are on disk already.
            }
        }
    }

    /**
     * Reads the checkpoints of a file (or of lines taken from the log), in order; lines without one, such as a
     * line cut short by a crash, are passed over. A missing file holds none.
     */
    static void read(Path file, Consumer<Checkpoint> each) throws IOException {
        if (!Files.exists(file)) {
            return;
        }
        // ISO-8859-1 reads any bytes, and a checkpoint is ASCII: a log line in another encoding cannot stop the check.
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.ISO_8859_1)) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                Checkpoint c = parse(line);
                if (c != null) {
                    each.accept(c);
                }
            }
        }
    }
}

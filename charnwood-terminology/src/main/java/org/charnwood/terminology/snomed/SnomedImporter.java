package org.charnwood.terminology.snomed;

import org.charnwood.fhir.FhirException;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Loads a SNOMED CT RF2 snapshot into the {@code snomed} schema. The whole load is one transaction that writes
 * new partitions for a new release id and, as its last statement, points {@code snomed.current_release} at it;
 * so until the commit the previous release keeps being served, and a refused release (bad header, bad value,
 * dangling reference, missing file) leaves no trace. Releases already loaded (same file names and sizes) are
 * not loaded again. Rows are checked in Java as they stream past (so a refusal names the file and line) and
 * written with COPY.
 */
public final class SnomedImporter {

    private static final Logger log = LoggerFactory.getLogger(SnomedImporter.class);
    private static final String[] TABLES = {"concept", "description", "language_member", "relationship",
            "concrete_value", "refset_member", "association", "map_member"};
    private static final Pattern RELEASE_DATE = Pattern.compile("_(\\d{8})\\.txt$");
    private static final long CORE_MODULE = 900000000000207008L;

    private final DataSource dataSource;
    private final ImportListener listener;

    public SnomedImporter(DataSource dataSource, ImportListener listener) {
        this.dataSource = dataSource;
        this.listener = listener;
    }

    /** Loads the RF2 snapshot found under these folders or zips as one edition, and serves it. */
    public ImportOutcome load(List<Path> releasePaths) {
        ReleaseFiles files = ReleaseFiles.find(releasePaths);
        return run(files.label(), files.fingerprint(), true, (c, id) -> new Rf2Load(c, id, files).run());
    }

    /**
     * Loads a flat list of codes and displays as a partial release: concepts without hierarchy, so binding checks
     * can show the display but must only warn about codes the list does not hold.
     */
    public ImportOutcome loadCodeList(String label, List<CodeListEntry> codes) {
        StringBuilder content = new StringBuilder(label);
        codes.forEach(c -> content.append('\n').append(c.conceptId()).append('\t').append(c.display()));
        return run(label, "codes:" + sha256(content.toString()), false, (c, id) -> codeList(c, id, codes));
    }

    /** One code of a partial release. */
    public record CodeListEntry(long conceptId, String display) {
    }

    private interface Loader {
        LoadResult load(Connection connection, int releaseId) throws SQLException, IOException;
    }

    private record LoadResult(int effectiveTime, Map<String, Long> rows) {
    }

    private ImportOutcome run(String label, String fingerprint, boolean complete, Loader loader) {
        long started = System.nanoTime();
        try (Connection c = dataSource.getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                // One load at a time: a second loader waits, then finds the release already loaded.
                s.execute("select pg_advisory_xact_lock(7734100)");
                Integer current = currentRelease(c, fingerprint);
                if (current != null) {
                    c.rollback();
                    log.info("SNOMED CT release {} is already loaded and served (release {})", label, current);
                    listener.step("release already loaded: nothing to do");
                    return new ImportOutcome(current, label, true, Map.of(), Duration.ofNanos(System.nanoTime() - started));
                }
                int releaseId;
                try (ResultSet rs = s.executeQuery("select nextval('snomed.release_seq')")) {
                    rs.next();
                    releaseId = rs.getInt(1);
                }
                for (String table : TABLES) {
                    s.execute("create table snomed." + table + "_r" + releaseId + " partition of snomed." + table
                            + " for values in (" + releaseId + ")");
                }
                LoadResult result = loader.load(c, releaseId);
                listener.step("refreshing planner statistics");
                for (String table : TABLES) {
                    s.execute("analyze snomed." + table + "_r" + releaseId);
                }
                try (PreparedStatement insert = c.prepareStatement("""
                        insert into snomed.release (release_id, label, fingerprint, complete, effective_time,
                          concepts, descriptions, relationships) values (?, ?, ?, ?, ?, ?, ?, ?)""")) {
                    insert.setInt(1, releaseId);
                    insert.setString(2, label);
                    insert.setString(3, fingerprint);
                    insert.setBoolean(4, complete);
                    insert.setInt(5, result.effectiveTime());
                    insert.setLong(6, result.rows().getOrDefault("concept", 0L));
                    insert.setLong(7, result.rows().getOrDefault("description", 0L));
                    insert.setLong(8, result.rows().getOrDefault("relationship", 0L));
                    insert.executeUpdate();
                }
                s.executeUpdate("insert into snomed.current_release (singleton, release_id) values (true, " + releaseId
                        + ") on conflict (singleton) do update set release_id = excluded.release_id");
                c.commit();
                listener.step("release " + releaseId + " is now served");
                log.info("SNOMED CT release {} loaded as release {} and now served: {}", label, releaseId, result.rows());
                dropOldReleases(c, releaseId);
                return new ImportOutcome(releaseId, label, false, result.rows(),
                        Duration.ofNanos(System.nanoTime() - started));
            } catch (RuntimeException | SQLException | IOException e) {
                c.rollback();
                if (e instanceof FhirException f) {
                    log.warn("SNOMED CT release {} refused: {}", label, f.getMessage());
                    throw f;
                }
                if (e instanceof UncheckedIOException u) {
                    throw u;
                }
                if (e instanceof IOException io) {
                    throw new UncheckedIOException(io);
                }
                if (e instanceof RuntimeException r) {
                    throw r;
                }
                throw new IllegalStateException("loading SNOMED CT release " + label + " failed", e);
            } finally {
                c.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("loading SNOMED CT release " + label + " failed", e);
        }
    }

    private static Integer currentRelease(Connection c, String fingerprint) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("""
                select r.release_id from snomed.current_release cr join snomed.release r using (release_id)
                where r.fingerprint = ?""")) {
            q.setString(1, fingerprint);
            try (ResultSet rs = q.executeQuery()) {
                return rs.next() ? rs.getInt(1) : null;
            }
        }
    }

    /** Drops every release but the one served; a failure here only leaves old partitions behind for next time. */
    private void dropOldReleases(Connection c, int keep) {
        try (Statement s = c.createStatement()) {
            List<Integer> old = new ArrayList<>();
            try (ResultSet rs = s.executeQuery("select release_id from snomed.release where release_id <> " + keep)) {
                while (rs.next()) {
                    old.add(rs.getInt(1));
                }
            }
            for (int id : old) {
                for (String table : TABLES) {
                    s.execute("drop table if exists snomed." + table + "_r" + id);
                }
                s.execute("delete from snomed.release where release_id = " + id);
                c.commit();
                listener.step("dropped old release " + id);
            }
        } catch (SQLException e) {
            log.warn("could not drop old SNOMED CT releases; they will be dropped after the next load", e);
        }
    }

    private LoadResult codeList(Connection c, int releaseId, List<CodeListEntry> codes) throws SQLException {
        CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
        LongIntMap seen = new LongIntMap(codes.size());
        long concepts = 0;
        try (CopyWriter concept = new CopyWriter(copy, "snomed.concept_r" + releaseId,
                "release_id, id, effective_time, active, module_id, definition_status_id")) {
            for (CodeListEntry code : codes) {
                if (!Sctid.valid(code.conceptId())) {
                    throw ReleaseFiles.refused(org.charnwood.fhir.ErrorCode.TERMINOLOGY_RELEASE_REFUSED,
                            "code list " + code.conceptId() + " is not a valid SCTID");
                }
                if (seen.put(code.conceptId(), 1, 0) == 0) {
                    concept.add(releaseId).add(code.conceptId()).add(0).add(true).add(CORE_MODULE)
                            .add(SnomedIds.PRIMITIVE).next();
                }
            }
            concepts = concept.finish();
        }
        // One COPY at a time per connection: descriptions first, then their language refset rows.
        seen.clear();
        try (CopyWriter description = new CopyWriter(copy, "snomed.description_r" + releaseId,
                "release_id, id, effective_time, active, module_id, concept_id, language_code, type_id, term, case_significance_id")) {
            for (CodeListEntry code : codes) {
                if (seen.put(code.conceptId(), 1, 0) == 0) {
                    // The list has no description ids: a negative id says so and cannot clash with a real one.
                    description.add(releaseId).add(-code.conceptId()).add(0).add(true).add(CORE_MODULE)
                            .add(code.conceptId()).add("en").add(SnomedIds.SYNONYM).add(code.display())
                            .add(900000000000448009L).next();
                }
            }
            description.finish();
        }
        seen.clear();
        try (CopyWriter language = new CopyWriter(copy, "snomed.language_member_r" + releaseId,
                "release_id, refset_id, description_id, acceptability_id")) {
            for (CodeListEntry code : codes) {
                if (seen.put(code.conceptId(), 1, 0) == 0) {
                    language.add(releaseId).add(SnomedIds.GB_ENGLISH).add(-code.conceptId()).add(SnomedIds.PREFERRED)
                            .next();
                }
            }
            language.finish();
        }
        Map<String, Long> rows = new LinkedHashMap<>();
        rows.put("concept", concepts);
        rows.put("description", concepts);
        return new LoadResult(0, rows);
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One RF2 load: concepts first (kept in memory so every later reference can be checked), then the rest. */
    private final class Rf2Load {

        private final Connection connection;
        private final int releaseId;
        private final ReleaseFiles files;
        private final CopyManager copy;
        private final Map<String, Long> rows = new LinkedHashMap<>();
        private LongIntMap concepts;
        private BitSet conceptActive;
        private LongIntMap descriptions;
        private int effectiveTime;

        Rf2Load(Connection connection, int releaseId, ReleaseFiles files) throws SQLException {
            this.connection = connection;
            this.releaseId = releaseId;
            this.files = files;
            this.copy = connection.unwrap(PGConnection.class).getCopyAPI();
        }

        LoadResult run() throws SQLException, IOException {
            for (Rf2Kind kind : Rf2Kind.values()) {
                for (ReleaseFiles.Rf2File file : files.of(kind)) {
                    Matcher date = RELEASE_DATE.matcher(file.name());
                    if (date.find()) {
                        effectiveTime = Math.max(effectiveTime, Integer.parseInt(date.group(1)));
                    }
                }
            }
            loadConcepts();
            loadDescriptions();
            loadLanguage();
            loadRelationships();
            loadConcreteValues();
            loadSimpleRefsets();
            loadAssociations();
            loadMaps();
            return new LoadResult(effectiveTime, rows);
        }

        private void count(String table, long stored) {
            rows.merge(table, stored, Long::sum);
        }

        private void finished(ReleaseFiles.Rf2File file, long read, long stored) {
            listener.fileFinished(file, read, stored);
            log.info("{}: {} rows read, {} stored", file.name(), read, stored);
        }

        /** One row of an RF2 file: checks it (refusing it by throwing) and says whether it was stored. */
        private interface RowLoader {
            boolean load(Rf2Reader in) throws SQLException, IOException;
        }

        /** Reads every file of a kind row by row, reporting each file's rows read and stored. */
        private void eachRow(Rf2Kind kind, RowLoader loader) throws SQLException, IOException {
            for (ReleaseFiles.Rf2File file : files.of(kind)) {
                listener.fileStarted(file);
                long read = 0;
                long stored = 0;
                try (Rf2Reader in = new Rf2Reader(file)) {
                    while (in.next()) {
                        read++;
                        if (loader.load(in)) {
                            stored++;
                        }
                    }
                }
                finished(file, read, stored);
            }
        }

        private void loadConcepts() throws SQLException, IOException {
            // Concepts are gathered first: a snapshot may list a concept in two files (an edition loaded with
            // the monolith beside it), and then the later row wins, as snapshot rules say.
            int expected = (int) Math.min(2_000_000, files.of(Rf2Kind.CONCEPT).stream().mapToLong(f -> f.size()).sum() / 50 + 16);
            concepts = new LongIntMap(expected);
            conceptActive = new BitSet();
            LongList ids = new LongList();
            IntList times = new IntList();
            LongList modules = new LongList();
            LongList definitions = new LongList();
            eachRow(Rf2Kind.CONCEPT, in -> {
                long id = in.componentId(0, Sctid.Partition.CONCEPT);
                int time = in.effectiveTime(1);
                boolean active = in.active(2);
                long module = in.sctid(3);
                long definition = in.sctid(4);
                int row = concepts.get(id, -1);
                if (row < 0) {
                    row = ids.size();
                    concepts.put(id, row, -1);
                    ids.add(id);
                    times.add(time);
                    modules.add(module);
                    definitions.add(definition);
                } else if (time >= times.get(row)) {
                    times.set(row, time);
                    modules.set(row, module);
                    definitions.set(row, definition);
                } else {
                    return true;
                }
                conceptActive.set(row, active);
                return true;
            });
            try (CopyWriter out = new CopyWriter(copy, "snomed.concept_r" + releaseId,
                    "release_id, id, effective_time, active, module_id, definition_status_id")) {
                for (int i = 0; i < ids.size(); i++) {
                    out.add(releaseId).add(ids.get(i)).add(times.get(i)).add(conceptActive.get(i)).add(modules.get(i))
                            .add(definitions.get(i)).next();
                }
                count("concept", out.finish());
            }
        }

        /**
         * The columns every reference set member starts with (id, effectiveTime, active, moduleId, refsetId), each
         * checked in that order; what the loaders keep of them.
         */
        private record MemberStart(boolean active, long refset) {

            static MemberStart read(Rf2Reader in) {
                in.memberId(0);
                in.effectiveTime(1);
                boolean active = in.active(2);
                in.sctid(3);
                return new MemberStart(active, in.sctid(4));
            }
        }

        private void requireConcept(Rf2Reader in, int column, long id) {
            if (!concepts.contains(id)) {
                throw in.refuse(in.columnName(column) + " " + id + " is not a concept in the release");
            }
        }

        private void loadDescriptions() throws SQLException, IOException {
            descriptions = new LongIntMap(concepts.size() * 3);
            try (CopyWriter out = new CopyWriter(copy, "snomed.description_r" + releaseId,
                    "release_id, id, effective_time, active, module_id, concept_id, language_code, type_id, term, case_significance_id")) {
                eachRow(Rf2Kind.DESCRIPTION, in -> {
                    long id = in.componentId(0, Sctid.Partition.DESCRIPTION);
                    int time = in.effectiveTime(1);
                    boolean active = in.active(2);
                    long module = in.sctid(3);
                    long concept = in.sctid(4);
                    requireConcept(in, 4, concept);
                    String language = in.text(5, false);
                    long type = in.sctid(6);
                    String term = in.text(7, false);
                    long caseSignificance = in.sctid(8);
                    if (descriptions.put(id, 1, 0) != 0) {
                        throw in.refuse("description " + id + " appears twice in the release");
                    }
                    out.add(releaseId).add(id).add(time).add(active).add(module).add(concept).add(language)
                            .add(type).add(term).add(caseSignificance).next();
                    return true;
                });
                count("description", out.finish());
            }
        }

        private void loadLanguage() throws SQLException, IOException {
            try (CopyWriter out = new CopyWriter(copy, "snomed.language_member_r" + releaseId,
                    "release_id, refset_id, description_id, acceptability_id")) {
                eachRow(Rf2Kind.LANGUAGE, in -> {
                    MemberStart member = MemberStart.read(in);
                    boolean active = member.active();
                    long refset = member.refset();
                    long description = in.sctid(5);
                    long acceptability = in.sctid(6);
                    if (!descriptions.contains(description)) {
                        throw in.refuse("referencedComponentId " + description
                                + " is not a description in the release");
                    }
                    if (acceptability != SnomedIds.PREFERRED && acceptability != SnomedIds.ACCEPTABLE) {
                        throw in.refuse("acceptabilityId " + acceptability + " is neither preferred nor acceptable");
                    }
                    if (active) {
                        out.add(releaseId).add(refset).add(description).add(acceptability).next();
                    }
                    return active;
                });
                count("language_member", out.finish());
            }
            descriptions = null;
        }

        private void loadRelationships() throws SQLException, IOException {
            try (CopyWriter out = new CopyWriter(copy, "snomed.relationship_r" + releaseId,
                    "release_id, id, effective_time, active, module_id, source_id, destination_id, rel_group, type_id")) {
                eachRow(Rf2Kind.RELATIONSHIP, in -> {
                    long id = in.number(0);
                    int time = in.effectiveTime(1);
                    boolean active = in.active(2);
                    long module = in.sctid(3);
                    long source = in.sctid(4);
                    long destination = in.sctid(5);
                    int group = in.integer(6);
                    long type = in.sctid(7);
                    long characteristic = in.sctid(8);
                    in.sctid(9);
                    if (characteristic != SnomedIds.INFERRED) {
                        return false;
                    }
                    requireConcept(in, 4, source);
                    requireConcept(in, 5, destination);
                    requireConcept(in, 7, type);
                    if (active && type == SnomedIds.IS_A
                            && !(conceptActive.get(concepts.get(source, -1))
                            && conceptActive.get(concepts.get(destination, -1)))) {
                        throw in.refuse("active |is a| relationship " + source + " -> " + destination
                                + " joins an inactive concept");
                    }
                    out.add(releaseId).add(id).add(time).add(active).add(module).add(source).add(destination)
                            .add(group).add(type).next();
                    return true;
                });
                count("relationship", out.finish());
            }
        }

        private void loadConcreteValues() throws SQLException, IOException {
            try (CopyWriter out = new CopyWriter(copy, "snomed.concrete_value_r" + releaseId,
                    "release_id, id, effective_time, active, module_id, source_id, value, rel_group, type_id")) {
                eachRow(Rf2Kind.CONCRETE_VALUE, in -> {
                    long id = in.number(0);
                    int time = in.effectiveTime(1);
                    boolean active = in.active(2);
                    long module = in.sctid(3);
                    long source = in.sctid(4);
                    String value = in.text(5, false);
                    int group = in.integer(6);
                    long type = in.sctid(7);
                    long characteristic = in.sctid(8);
                    in.sctid(9);
                    if (characteristic != SnomedIds.INFERRED) {
                        return false;
                    }
                    requireConcept(in, 4, source);
                    requireConcept(in, 7, type);
                    if (ConcreteValues.parse(value) == null) {
                        throw in.refuse("value '" + value + "' is neither #number nor \"string\"");
                    }
                    out.add(releaseId).add(id).add(time).add(active).add(module).add(source).add(value)
                            .add(group).add(type).next();
                    return true;
                });
                count("concrete_value", out.finish());
            }
        }

        private void loadSimpleRefsets() throws SQLException, IOException {
            try (CopyWriter out = new CopyWriter(copy, "snomed.refset_member_r" + releaseId,
                    "release_id, refset_id, referenced_component_id")) {
                eachRow(Rf2Kind.SIMPLE_REFSET, in -> {
                    MemberStart member = MemberStart.read(in);
                    boolean active = member.active();
                    long refset = member.refset();
                    long component = in.sctid(5);
                    if (active) {
                        out.add(releaseId).add(refset).add(component).next();
                    }
                    return active;
                });
                count("refset_member", out.finish());
            }
        }

        private void loadAssociations() throws SQLException, IOException {
            try (CopyWriter out = new CopyWriter(copy, "snomed.association_r" + releaseId,
                    "release_id, refset_id, source_id, target_id")) {
                eachRow(Rf2Kind.ASSOCIATION, in -> {
                    MemberStart member = MemberStart.read(in);
                    boolean active = member.active();
                    long refset = member.refset();
                    long source = in.sctid(5);
                    long target = in.sctid(6);
                    if (active) {
                        out.add(releaseId).add(refset).add(source).add(target).next();
                    }
                    return active;
                });
                count("association", out.finish());
            }
        }

        private void loadMaps() throws SQLException, IOException {
            try (CopyWriter out = new CopyWriter(copy, "snomed.map_member_r" + releaseId,
                    "release_id, refset_id, referenced_component_id, map_target, map_group, map_priority, map_rule, map_advice, correlation_id")) {
                for (Rf2Kind kind : List.of(Rf2Kind.SIMPLE_MAP, Rf2Kind.COMPLEX_MAP, Rf2Kind.EXTENDED_MAP)) {
                    eachRow(kind, in -> {
                        MemberStart member = MemberStart.read(in);
                        boolean active = member.active();
                        long refset = member.refset();
                        long component = in.sctid(5);
                        if (!active) {
                            return false;
                        }
                        out.add(releaseId).add(refset).add(component);
                        if (kind == Rf2Kind.SIMPLE_MAP) {
                            out.add(in.text(6, true)).addNull().addNull().addNull().addNull().addNull();
                        } else {
                            int group = in.integer(6);
                            int priority = in.integer(7);
                            String rule = in.text(8, true);
                            String advice = in.text(9, true);
                            String target = in.text(10, true);
                            long correlation = in.sctid(11);
                            out.add(target).add(group).add(priority).add(rule).add(advice).add(correlation);
                        }
                        out.next();
                        return true;
                    });
                }
                count("map_member", out.finish());
            }
        }
    }
}

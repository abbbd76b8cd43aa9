package org.charnwood.terminology.dmd;

import org.charnwood.fhir.ErrorCode;
import org.charnwood.fhir.FhirException;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The served dm+d release held in memory, for the questions asked on every prescription and every typed
 * character: what is this code, may it be used, what is above and below it, which products match these words.
 *
 * <p>Products are numbered densely in id order and kept in parallel arrays (about half a million in a full
 * release), found by binary search on the id; a product's record is built only when asked for. The typeahead
 * index ({@code ProductNameIndex}) works on word numbers, not strings. An instance never
 * changes: after a new release is imported, {@link #load(DataSource)} again and swap the reference.
 */
public final class DmdProducts {

    /** The dm+d code system URI, as FHIR resources name it. */
    public static final String SYSTEM = "https://dmd.nhs.uk";
    /** SNOMED CT: dm+d ids are SNOMED CT ids of the UK drug extension, so codes under this system are looked up too. */
    public static final String SNOMED_SYSTEM = "http://snomed.info/sct";

    private static final ProductLevel[] LEVELS = ProductLevel.values();
    private static final int MAX_REPLACEMENT_HOPS = 16;

    private final String release;
    private final long[] ids;
    private final byte[] levels;
    private final String[] names;
    private final String[] descriptions;
    private final String[] statuses;
    private final BitSet invalid;
    private final int[] parent;       // VTM of a VMP, VMP of an AMP or VMPP, VMPP of an AMPP; -1 when none
    private final int[] otherParent;  // AMP of an AMPP; -1 otherwise
    private final int[] childStart;
    private final int[] children;
    private final Map<Long, Long> replacedBy;
    private final ProductNameIndex nameIndex;

    private DmdProducts(String release, List<Row> rows, Map<Long, Long> replacedBy) {
        this.release = release;
        int n = rows.size();
        ids = new long[n];
        levels = new byte[n];
        names = new String[n];
        descriptions = new String[n];
        statuses = new String[n];
        invalid = new BitSet(n);
        parent = new int[n];
        otherParent = new int[n];
        Map<String, String> interned = new HashMap<>();
        for (int i = 0; i < n; i++) {
            Row row = rows.get(i);
            ids[i] = row.id;
            levels[i] = (byte) row.level.ordinal();
            names[i] = row.name;
            descriptions[i] = row.description.equals(row.name) ? row.name : row.description;
            statuses[i] = row.status == null ? null : interned.computeIfAbsent(row.status, s -> s);
            invalid.set(i, row.invalid);
        }
        for (int i = 0; i < n; i++) {
            parent[i] = rows.get(i).parent == 0 ? -1 : index(rows.get(i).parent);
            otherParent[i] = rows.get(i).otherParent == 0 ? -1 : index(rows.get(i).otherParent);
        }
        childStart = new int[n + 1];
        for (int i = 0; i < n; i++) {
            if (parent[i] >= 0) {
                childStart[parent[i] + 1]++;
            }
            if (otherParent[i] >= 0) {
                childStart[otherParent[i] + 1]++;
            }
        }
        for (int i = 0; i < n; i++) {
            childStart[i + 1] += childStart[i];
        }
        children = new int[childStart[n]];
        int[] fill = Arrays.copyOf(childStart, n);
        for (int i = 0; i < n; i++) {
            if (parent[i] >= 0) {
                children[fill[parent[i]]++] = i;
            }
            if (otherParent[i] >= 0) {
                children[fill[otherParent[i]]++] = i;
            }
        }
        this.replacedBy = Map.copyOf(replacedBy);
        nameIndex = new ProductNameIndex(descriptions, levels);
    }

    /** No release: every code is unknown. For an application started before dm+d has been loaded. */
    public static DmdProducts empty() {
        return new DmdProducts(null, List.of(), Map.of());
    }

    /**
     * Reads the served release.
     *
     * @throws FhirException with {@link ErrorCode#DMD_NO_SERVING_RELEASE} when none has been imported
     */
    public static DmdProducts load(DataSource dataSource) {
        try (Connection c = dataSource.getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            int isolation = c.getTransactionIsolation();
            // one snapshot for every query, so an import switching releases meanwhile cannot mix two releases
            c.setAutoCommit(false);
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            try {
                DmdRelease release = DmdRelease.serving(c).orElseThrow(() -> FhirException.of(503,
                        ErrorCode.DMD_NO_SERVING_RELEASE, IssueType.NOTFOUND, "no dm+d release has been imported"));
                List<Row> rows = products(c, release.id());
                Map<Long, Long> replaced = replacements(c, release.id());
                return new DmdProducts(release.name(), rows, replaced);
            } finally {
                c.rollback();
                c.setTransactionIsolation(isolation);
                c.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            throw FhirException.of(500, ErrorCode.INTERNAL_ERROR, IssueType.EXCEPTION,
                    "reading the dm+d release failed: " + e.getMessage());
        }
    }

    /** The release these products come from (e.g. {@code 3260821}), or null for {@link #empty()}. */
    public String release() {
        return release;
    }

    public int size() {
        return ids.length;
    }

    /** The product with this SNOMED CT id, whatever its level; replaced (historic) ids are not followed. */
    public Optional<DmdProduct> find(long sctid) {
        int i = index(sctid);
        return i < 0 ? Optional.empty() : Optional.of(product(i));
    }

    /** The product that replaced a historic id (following a chain of replacements), if any. */
    public Optional<DmdProduct> current(long sctid) {
        int i = index(sctid);
        if (i >= 0) {
            return Optional.of(product(i));
        }
        Long next = sctid;
        for (int hop = 0; hop < MAX_REPLACEMENT_HOPS && (next = replacedBy.get(next)) != null; hop++) {
            int j = index(next);
            if (j >= 0) {
                return Optional.of(product(j));
            }
        }
        return Optional.empty();
    }

    /** Whether the code is a product not marked invalid, directly or through the code that replaced it. */
    public boolean isValidProduct(long code) {
        return check(code).valid();
    }

    /**
     * {@link #isValidProduct(long)} for a coding: the system must be dm+d or SNOMED CT and the code a number.
     */
    public boolean isValidProduct(String system, String code) {
        if (!SYSTEM.equals(system) && !SNOMED_SYSTEM.equals(system) || code == null
                || code.isEmpty() || code.length() > 18 || !code.chars().allMatch(Character::isDigit)) {
            return false;
        }
        return isValidProduct(Long.parseLong(code));
    }

    /** Whether the code may be used, with the product and a note for replaced, invalid and unknown codes. */
    public ProductCheck check(long code) {
        int i = index(code);
        if (i >= 0) {
            DmdProduct product = product(i);
            return product.invalid()
                    ? new ProductCheck(code, false, product, code + " is marked invalid in dm+d")
                    : new ProductCheck(code, true, product, null);
        }
        Optional<DmdProduct> current = current(code);
        if (current.isEmpty()) {
            return new ProductCheck(code, false, null, code + " is not a dm+d product");
        }
        DmdProduct product = current.get();
        String note = code + " is a previous code of " + product.level() + " " + product.id() + " ("
                + product.name() + ")";
        return product.invalid()
                ? new ProductCheck(code, false, product, note + ", which is marked invalid in dm+d")
                : new ProductCheck(code, true, product, note);
    }

    /**
     * Typeahead: products whose name has a word starting with each word typed ("co-amil 5mg" finds
     * "Co-amilofruse 5mg/40mg tablets"), invalid products left out. Names that start with what was typed come
     * first, then by level (VTM, VMP, AMP, VMPP, AMPP), then shorter names.
     */
    public List<DmdProduct> search(String text, int limit) {
        List<DmdProduct> found = new ArrayList<>();
        for (int i : nameIndex.search(text == null ? "" : text, limit, invalid)) {
            found.add(product(i));
        }
        return found;
    }

    /** The products one level down: VTM → VMPs; VMP → AMPs and VMPPs; AMP → AMPPs; VMPP → AMPPs. By name. */
    public List<DmdProduct> children(long sctid) {
        int i = index(sctid);
        if (i < 0) {
            return List.of();
        }
        List<DmdProduct> found = new ArrayList<>();
        for (int k = childStart[i]; k < childStart[i + 1]; k++) {
            found.add(product(children[k]));
        }
        found.sort(Comparator.comparing(DmdProduct::level).thenComparing(DmdProduct::description));
        return found;
    }

    /** A VTM's VMPs. */
    public List<DmdProduct> vmps(long vtmId) {
        return childrenAt(vtmId, ProductLevel.VTM, ProductLevel.VMP);
    }

    /** A VMP's AMPs. */
    public List<DmdProduct> amps(long vmpId) {
        return childrenAt(vmpId, ProductLevel.VMP, ProductLevel.AMP);
    }

    /** A VMP's VMPPs. */
    public List<DmdProduct> vmpps(long vmpId) {
        return childrenAt(vmpId, ProductLevel.VMP, ProductLevel.VMPP);
    }

    /** The AMPPs of an AMP or of a VMPP. */
    public List<DmdProduct> ampps(long ampOrVmppId) {
        int i = index(ampOrVmppId);
        if (i < 0 || LEVELS[levels[i]] != ProductLevel.AMP && LEVELS[levels[i]] != ProductLevel.VMPP) {
            return List.of();
        }
        return children(ampOrVmppId).stream().filter(p -> p.level() == ProductLevel.AMPP).toList();
    }

    private List<DmdProduct> childrenAt(long id, ProductLevel level, ProductLevel childLevel) {
        int i = index(id);
        if (i < 0 || LEVELS[levels[i]] != level) {
            return List.of();
        }
        return children(id).stream().filter(p -> p.level() == childLevel).toList();
    }

    private DmdProduct product(int i) {
        List<DmdProduct.Ref> direct = new ArrayList<>(2);
        if (parent[i] >= 0) {
            direct.add(ref(parent[i]));
        }
        if (otherParent[i] >= 0) {
            direct.add(ref(otherParent[i]));
        }
        // breadth first, so an AMPP lists VMPP and AMP before the VMP they share
        Set<Integer> seen = new LinkedHashSet<>();
        List<Integer> queue = new ArrayList<>();
        queue.add(i);
        for (int q = 0; q < queue.size(); q++) {
            int at = queue.get(q);
            for (int up : new int[]{parent[at], otherParent[at]}) {
                if (up >= 0 && seen.add(up)) {
                    queue.add(up);
                }
            }
        }
        List<DmdProduct.Ref> ancestors = seen.stream().map(this::ref).toList();
        return new DmdProduct(ids[i], LEVELS[levels[i]], names[i], descriptions[i], invalid.get(i), statuses[i],
                List.copyOf(direct), ancestors);
    }

    private DmdProduct.Ref ref(int i) {
        return new DmdProduct.Ref(ids[i], LEVELS[levels[i]], names[i]);
    }

    private int index(long id) {
        int i = Arrays.binarySearch(ids, id);
        return i < 0 ? -1 : i;
    }

    private static List<Row> products(Connection c, int releaseId) throws SQLException {
        List<Row> rows = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("""
                select 'VTM', t.id, t.name, t.name, t.invalid, null, null::bigint, null::bigint
                  from dmd.vtm t where t.release_id = ?1
                union all
                select 'VMP', v.id, v.name, v.name, v.invalid, l.description, v.vtm_id, null
                  from dmd.vmp v left join dmd.lookup l on l.release_id = v.release_id
                   and l.type = 'VIRTUAL_PRODUCT_PRES_STATUS' and l.code = v.prescribing_status_code
                 where v.release_id = ?1
                union all
                select 'AMP', a.id, a.name, a.description, a.invalid, l.description, a.vmp_id, null
                  from dmd.amp a left join dmd.lookup l on l.release_id = a.release_id
                   and l.type = 'AVAILABILITY_RESTRICTION' and l.code = a.availability_restriction_code
                 where a.release_id = ?1
                union all
                select 'VMPP', p.id, p.name, p.name, p.invalid, null, p.vmp_id, null
                  from dmd.vmpp p where p.release_id = ?1
                union all
                select 'AMPP', p.id, p.name, p.name, p.invalid, l.description, p.vmpp_id, p.amp_id
                  from dmd.ampp p left join dmd.lookup l on l.release_id = p.release_id
                   and l.type = 'DISCONTINUED_IND' and l.code = p.discontinued_code
                 where p.release_id = ?1
                order by 2""".replace("?1", Integer.toString(releaseId)))) {
            s.setFetchSize(10_000);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    rows.add(new Row(rs.getLong(2), ProductLevel.valueOf(rs.getString(1)), rs.getString(3),
                            rs.getString(4), rs.getBoolean(5), rs.getString(6), rs.getLong(7), rs.getLong(8)));
                }
            }
        }
        return rows;
    }

    private static Map<Long, Long> replacements(Connection c, int releaseId) throws SQLException {
        Map<Long, Long> replaced = new HashMap<>();
        try (PreparedStatement s = c.prepareStatement("""
                select previous_id, current_id from dmd.historic_code
                where release_id = ? and previous_id <> current_id
                order by end_date nulls last""")) {
            s.setInt(1, releaseId);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    replaced.put(rs.getLong(1), rs.getLong(2));
                }
            }
        }
        return replaced;
    }

    private record Row(long id, ProductLevel level, String name, String description, boolean invalid,
                       String status, long parent, long otherParent) {
    }
}

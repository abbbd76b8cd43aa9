package org.charnwood.fhir.search;

import org.charnwood.fhir.FhirException;
import org.charnwood.fhir.FhirRepository.SearchPage;
import org.charnwood.fhir.StoredResource;
import org.charnwood.fhir.compartment.PatientEverything;
import org.charnwood.fhir.store.ResourceStore.HistoryQuery;
import org.hl7.fhir.r4.model.CareTeam;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class AccessScopeIntegrationTests {

    private static final String CONFIDENTIALITY = "http://terminology.hl7.org/CodeSystem/v3-Confidentiality";
    private static final AccessScope.Label RESTRICTED = new AccessScope.Label(CONFIDENTIALITY, "R");

    private SearchFixture fx;
    private String practitioner;

    @BeforeEach
    void setUp() {
        fx = new SearchFixture();
        practitioner = fx.put(withId(new Practitioner().addName(new HumanName().setFamily("Khan")), "pr1"));
        fx.put(withId(new Patient().addName(new HumanName().setFamily("Allen")), "a"));
        fx.put(withId(new Patient().addName(new HumanName().setFamily("Baker")), "b"));
        fx.put(withId(observation("a", "vital-signs", false), "a-vitals"));
        fx.put(withId(observation("a", "laboratory", false), "a-lab"));
        fx.put(withId(observation("a", "vital-signs", true), "a-restricted"));
        fx.put(withId(observation("b", "vital-signs", false), "b-vitals"));
        CareTeam team = new CareTeam().setName("District nursing");
        team.addParticipant().setMember(new Reference("Practitioner/pr1"));
        fx.put(withId(team, "team"));
    }

    private static <T extends org.hl7.fhir.r4.model.Resource> T withId(T resource, String id) {
        resource.setId(id);
        return resource;
    }

    private static Observation observation(String patient, String category, boolean restricted) {
        Observation obs = new Observation();
        obs.setStatus(Observation.ObservationStatus.FINAL);
        obs.addCategory(new CodeableConcept().addCoding(new Coding(
                "http://terminology.hl7.org/CodeSystem/observation-category", category, null)));
        obs.setCode(new CodeableConcept().setText("reading"));
        obs.setSubject(new Reference("Patient/" + patient));
        obs.addPerformer(new Reference("Practitioner/pr1"));
        if (restricted) {
            obs.getMeta().addSecurity(CONFIDENTIALITY, "R", "restricted");
        }
        return obs;
    }

    private List<String> ids(String type, String query, AccessScope scope) {
        return page(type, query, scope).matches().stream().map(StoredResource::id).toList();
    }

    private SearchPage page(String type, String query, AccessScope scope) {
        return fx.repository.search(SearchFixture.request(type, query, false), scope);
    }

    private static AccessScope patients(String... ids) {
        return AccessScope.UNRESTRICTED.withPatients(Set.of(ids), Set.of(), Set.of());
    }

    @Test
    void anUnrestrictedScopeSeesEverything() {
        assertThat(ids("Observation", "", AccessScope.UNRESTRICTED)).hasSize(4);
    }

    @Test
    void aCompartmentScopeSeesOnlyThosePatientsRecords() {
        assertThat(ids("Observation", "", patients("b"))).containsExactly("b-vitals");
        assertThat(ids("Patient", "", patients("b"))).containsExactly("b");
    }

    @Test
    void typesOutsideThePatientCompartmentStayVisible() {
        assertThat(ids("Practitioner", "", patients("b"))).containsExactly(practitioner);
    }

    @Test
    void openTypesAreVisibleForEveryPatient() {
        AccessScope scope = AccessScope.UNRESTRICTED.withPatients(Set.of(), Set.of("Patient"), Set.of());
        assertThat(ids("Patient", "", scope)).containsExactlyInAnyOrder("a", "b");
        assertThat(ids("Observation", "", scope)).isEmpty();
    }

    @Test
    void resourcesOfNoPatientAreVisibleOnlyWhenAsked() {
        assertThat(ids("CareTeam", "", patients("a"))).isEmpty();
        assertThat(ids("CareTeam", "", AccessScope.UNRESTRICTED.withPatients(Set.of("a"), Set.of(), Set.of("CareTeam"))))
                .containsExactly("team");
    }

    @Test
    void aReachTakesInResourcesOfAnyPatientByTheirReferencesAndNothingElse() {
        fx.put(withId(task("b", "Practitioner/pr1", false), "b-for-pr1"));
        fx.put(withId(task("b", "CareTeam/other", false), "b-for-other"));
        fx.put(withId(task("b", "Practitioner/pr1", true), "b-restricted-for-pr1"));
        fx.put(withId(task("a", "CareTeam/other", false), "a-for-other"));
        AccessScope.Reach addressed = new AccessScope.Reach("Task", Set.of("owner"), Set.of("Practitioner/pr1"));
        AccessScope scope = patients("a").withHiddenLabels(Set.of(RESTRICTED)).withReaches(Set.of(addressed));

        assertThat(ids("Task", "", scope)).containsExactlyInAnyOrder("a-for-other", "b-for-pr1");
        assertThat(page("Task", "_summary=count", scope).outcome().total()).isEqualTo(2);
        assertThat(ids("Task", "patient=Patient/b", scope)).containsExactly("b-for-pr1");
        assertThat(ids("Observation", "", scope)).containsExactlyInAnyOrder("a-vitals", "a-lab");
        assertThat(ids("Task", "", patients("a"))).containsExactly("a-for-other");
        // Confined to other patients, the scope leaves its reaches behind.
        assertThat(ids("Task", "", scope.withPatients(Set.of("a"), Set.of(), Set.of()))).containsExactly("a-for-other");
        // A type narrowed to some patients still lets in what a reach takes in.
        AccessScope narrowed = scope.withTypePatients(Map.of("Task", Set.of()));
        assertThat(ids("Task", "", narrowed)).containsExactly("b-for-pr1");
        assertThat(fx.repository.history(new HistoryQuery(null, null, null, null, 100, 0), narrowed).stream()
                .filter(r -> "Task".equals(r.type())).map(StoredResource::id).toList()).containsExactly("b-for-pr1");
    }

    private static org.hl7.fhir.r4.model.Task task(String patient, String owner, boolean restricted) {
        org.hl7.fhir.r4.model.Task task = new org.hl7.fhir.r4.model.Task();
        task.setStatus(org.hl7.fhir.r4.model.Task.TaskStatus.REQUESTED);
        task.setIntent(org.hl7.fhir.r4.model.Task.TaskIntent.ORDER);
        task.setFor(new Reference("Patient/" + patient));
        task.setOwner(new Reference(owner));
        if (restricted) {
            task.getMeta().addSecurity(CONFIDENTIALITY, "R", "restricted");
        }
        return task;
    }

    @Test
    void aSearchForOnePatientInTheScopeFindsTheirRecordAndNobodyElses() {
        AccessScope scope = patients("a").withHiddenLabels(Set.of(RESTRICTED));
        assertThat(ids("Observation", "subject=Patient/a", scope)).containsExactlyInAnyOrder("a-vitals", "a-lab");
        assertThat(ids("Observation", "patient=a", scope)).containsExactlyInAnyOrder("a-vitals", "a-lab");
        assertThat(ids("Observation", "subject=Patient/a,Patient/b", scope))
                .containsExactlyInAnyOrder("a-vitals", "a-lab");
        assertThat(ids("Observation", "subject=Patient/b", scope)).isEmpty();
        assertThat(page("Observation", "subject=Patient/b&_summary=count", scope).outcome().total()).isZero();
        assertThat(page("Observation", "subject=Patient/a&_summary=count", scope).outcome().total()).isEqualTo(2);
    }

    @Test
    void aSearchForOnePatientLeavesOutTheCompartmentTestOnlyWhenThePatientIsInTheScope() {
        SqlSearchEngine engine = new SqlSearchEngine(SearchFixture.REGISTRY, ServerBase.of(SearchFixture.OUR_BASE),
                new org.charnwood.fhir.RepositorySettings(false, false, 1000, 20), java.time.Clock.systemUTC());
        AccessScope scope = patients("a");
        String inScope = where(engine, "Observation", "subject=Patient/a&code=x", scope);
        String outOfScope = where(engine, "Observation", "subject=Patient/b&code=x", scope);
        String byCategory = where(engine, "Observation", "category=vital-signs", scope);
        assertThat(inScope).doesNotContain("target_id = any(");
        assertThat(outOfScope).contains("target_id = any(");
        assertThat(byCategory).contains("target_id = any(");
        // Types outside the compartment, and open types, need no compartment test either.
        assertThat(where(engine, "Practitioner", "name=Khan", scope)).doesNotContain("target_id = any(");
        assertThat(where(engine, "Patient", "name=Allen", scope.withPatients(Set.of("a"), Set.of("Patient"),
                Set.of()))).doesNotContain("any(");
    }

    @Test
    void aCaseloadIsReadFromTheIndexRatherThanTestedOnEveryRow() throws Exception {
        SqlSearchEngine engine = new SqlSearchEngine(SearchFixture.REGISTRY, ServerBase.of(SearchFixture.OUR_BASE),
                new org.charnwood.fhir.RepositorySettings(false, false, 1000, 20), java.time.Clock.systemUTC());
        AccessScope scope = patients("a").withHiddenLabels(Set.of(RESTRICTED));
        // The caseload's compartments are a join of the statement, which PostgreSQL may start from, and not a
        // filter (a SubPlan) run against each row the search's own condition finds.
        Sql page = engine.pageSql(engine.parse(SearchFixture.request("Observation", "category=vital-signs", false)),
                scope);
        assertThat(explain(page)).doesNotContain("SubPlan");
        assertThat(ids("Observation", "category=vital-signs", scope)).containsExactly("a-vitals");
        assertThat(page("Observation", "category=vital-signs&_total=accurate", scope).outcome().total()).isEqualTo(1);
        // The patient themselves come in by their own row.
        assertThat(ids("Patient", "", patients("a", "b"))).containsExactlyInAnyOrder("a", "b");
        assertThat(ids("Patient", "name=Allen", patients("b"))).isEmpty();
    }

    @Test
    void everyFormOfTheCompartmentTestSeesTheSameRecords() {
        SqlSearchEngine engine = new SqlSearchEngine(SearchFixture.REGISTRY, ServerBase.of(SearchFixture.OUR_BASE),
                new org.charnwood.fhir.RepositorySettings(false, false, 1000, 20), java.time.Clock.systemUTC());
        for (int size : new int[] {AccessFilter.SMALL_CASELOAD + 1, AccessFilter.JOINED_CASELOAD + 1}) {
            Set<String> caseload = new java.util.HashSet<>(Set.of("a"));
            for (int i = 0; caseload.size() < size; i++) {
                caseload.add("elsewhere-" + i);
            }
            AccessScope scope = AccessScope.UNRESTRICTED.withPatients(caseload, Set.of(), Set.of("CareTeam"))
                    .withHiddenLabels(Set.of(RESTRICTED));
            assertThat(ids("Observation", "category=vital-signs", scope)).containsExactly("a-vitals");
            assertThat(ids("Observation", "", scope)).containsExactlyInAnyOrder("a-vitals", "a-lab");
            assertThat(ids("Patient", "", scope)).containsExactly("a");
            assertThat(ids("CareTeam", "", scope)).containsExactly("team");
        }
        Set<String> joined = new java.util.HashSet<>();
        for (int i = 0; i < AccessFilter.JOINED_CASELOAD; i++) {
            joined.add("p" + i);
        }
        AccessScope asJoin = AccessScope.UNRESTRICTED.withPatients(joined, Set.of(), Set.of());
        assertThat(where(engine, "Observation", "category=vital-signs", asJoin))
                .contains("r.res_pk in (select").doesNotContain("exists (").doesNotContain(" or ");
        assertThat(where(engine, "Patient", "name=Allen", asJoin)).contains("union all");
        Set<String> large = new java.util.HashSet<>(joined);
        large.add("one-more");
        assertThat(where(engine, "Observation", "category=vital-signs",
                AccessScope.UNRESTRICTED.withPatients(large, Set.of(), Set.of()))).contains("exists (");
    }

    @Test
    void onlyTheTypesOwnCompartmentLinksLetAResourceIn() {
        // An observation about a, whose focus is b: in a's compartment (subject) and not b's (focus is no link).
        Observation focused = observation("a", "vital-signs", false);
        focused.addFocus(new Reference("Patient/b"));
        fx.put(withId(focused, "a-focus-b"));
        // A patient record linked to b's: in b's compartment through Patient.link.
        Patient linked = new Patient().addName(new HumanName().setFamily("Baker"));
        linked.addLink().setOther(new Reference("Patient/b"))
                .setType(org.hl7.fhir.r4.model.Patient.LinkType.SEEALSO);
        fx.put(withId(linked, "b-linked"));
        for (int size : new int[] {1, AccessFilter.SMALL_CASELOAD + 1, AccessFilter.JOINED_CASELOAD + 1}) {
            Set<String> others = new java.util.HashSet<>();
            for (int i = 0; others.size() < size - 1; i++) {
                others.add("elsewhere-" + i);
            }
            Set<String> b = new java.util.HashSet<>(others);
            b.add("b");
            Set<String> a = new java.util.HashSet<>(others);
            a.add("a");
            AccessScope ofB = AccessScope.UNRESTRICTED.withPatients(b, Set.of(), Set.of());
            AccessScope ofA = AccessScope.UNRESTRICTED.withPatients(a, Set.of(), Set.of());
            assertThat(ids("Observation", "category=vital-signs", ofB)).as("caseload of " + size)
                    .containsExactly("b-vitals");
            assertThat(ids("Observation", "category=vital-signs", ofA)).as("caseload of " + size)
                    .containsExactlyInAnyOrder("a-vitals", "a-restricted", "a-focus-b");
            assertThat(ids("Patient", "", ofB)).as("caseload of " + size).containsExactlyInAnyOrder("b", "b-linked");
        }
    }

    @Test
    void anEmptyCaseloadEndsTheStatementBeforeItReadsARow() {
        AccessScope nobody = AccessScope.UNRESTRICTED.withPatients(Set.of(), Set.of(), Set.of());
        SqlSearchEngine engine = new SqlSearchEngine(SearchFixture.REGISTRY, ServerBase.of(SearchFixture.OUR_BASE),
                new org.charnwood.fhir.RepositorySettings(false, false, 1000, 20), java.time.Clock.systemUTC());
        assertThat(where(engine, "Observation", "category=vital-signs", nobody)).contains("and false")
                .doesNotContain("target_id");
        assertThat(ids("Observation", "category=vital-signs", nobody)).isEmpty();
        assertThat(page("Observation", "category=vital-signs&_total=accurate", nobody).outcome().total()).isZero();
        assertThat(ids("Patient", "", nobody)).isEmpty();
        assertThat(ids("Practitioner", "", nobody)).containsExactly(practitioner);
        // Resources of no patient, where the scope lets them be seen, still are.
        assertThat(ids("CareTeam", "", AccessScope.UNRESTRICTED.withPatients(Set.of(), Set.of(), Set.of("CareTeam"))))
                .containsExactly("team");
    }

    private String explain(Sql sql) throws java.sql.SQLException {
        Sql explain = new Sql().add("explain (costs off) ").add(sql.text());
        explain.binds().addAll(sql.binds());
        StringBuilder plan = new StringBuilder();
        try (java.sql.Connection c = fx.db.dataSource().getConnection();
             java.sql.PreparedStatement ps = explain.prepare(c); java.sql.ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                plan.append(rs.getString(1)).append('\n');
            }
        }
        return plan.toString();
    }

    private static String where(SqlSearchEngine engine, String type, String query, AccessScope scope) {
        Sql sql = new Sql();
        AccessFilter filter = engine.accessFilter();
        filter.appendTo(sql, scope, "r", type, engine.parse(SearchFixture.request(type, query, false)).where());
        return sql.text();
    }

    @Test
    void hiddenLabelsLeaveResourcesOutOfPagesAndTotals() {
        AccessScope scope = AccessScope.UNRESTRICTED.withHiddenLabels(Set.of(RESTRICTED));
        SearchPage page = page("Observation", "subject=Patient/a&_count=1&_total=accurate", scope);
        assertThat(page.outcome().total()).isEqualTo(2);
        assertThat(ids("Observation", "subject=Patient/a", scope)).containsExactlyInAnyOrder("a-vitals", "a-lab");
        SearchPage counted = page("Observation", "_summary=count", scope);
        assertThat(counted.outcome().total()).isEqualTo(3);
    }

    @Test
    void aStaffPatientSearchPagesOverLabelledPatientsWhereverTheyFall() {
        // Twelve patients named Ward-*, in key order; the 3rd and the 9th are restricted. Staff see demographics
        // but not restricted records: every page and total must leave both out, whichever statement answered it.
        for (int i = 1; i <= 12; i++) {
            Patient p = new Patient().addName(new HumanName().setFamily("Ward-" + i));
            if (i == 3 || i == 9) {
                p.getMeta().addSecurity(CONFIDENTIALITY, "R", "restricted");
            }
            fx.put(withId(p, "ward-" + i));
        }
        AccessScope staff = AccessScope.UNRESTRICTED.withPatients(Set.of(), Set.of("Patient"), Set.of())
                .withHiddenLabels(Set.of(RESTRICTED));

        SearchPage first = page("Patient", "name=war&_count=2", staff);
        assertThat(ids(first)).containsExactly("ward-1", "ward-2");
        assertThat(first.outcome().hasMore()).isTrue();
        assertThat(ids(page("Patient", "name=war&_count=3", staff))).containsExactly("ward-1", "ward-2", "ward-4");
        assertThat(ids(page("Patient", "name=war&_count=4&_getpagesoffset=4", staff)))
                .containsExactly("ward-6", "ward-7", "ward-8", "ward-10");
        assertThat(page("Patient", "name=war&_count=2&_total=accurate", staff).outcome().total()).isEqualTo(10);
        assertThat(first.outcome().total()).as("the default bounded total").isEqualTo(10);
        assertThat(page("Patient", "name=war&_summary=count", staff).outcome().total()).isEqualTo(10);
        AccessScope anySystem = AccessScope.UNRESTRICTED.withPatients(Set.of(), Set.of("Patient"), Set.of())
                .withHiddenLabels(Set.of(new AccessScope.Label(null, "R")));
        assertThat(page("Patient", "name=war&_count=2&_total=accurate", anySystem).outcome().total()).isEqualTo(10);
        AccessScope otherSystem = AccessScope.UNRESTRICTED.withPatients(Set.of(), Set.of("Patient"), Set.of())
                .withHiddenLabels(Set.of(new AccessScope.Label("http://example.org/labels", "R")));
        assertThat(page("Patient", "name=war&_count=2&_total=accurate", otherSystem).outcome().total()).isEqualTo(12);
        assertThat(ids(page("Patient", "name=war&_count=20&_sort=-family", staff))).hasSize(10)
                .doesNotContain("ward-3", "ward-9").startsWith("ward-8", "ward-7");
        assertThat(ids(page("Patient", "name=war&_count=20", AccessScope.UNRESTRICTED))).hasSize(12);
    }

    private static List<String> ids(SearchPage page) {
        return page.matches().stream().map(StoredResource::id).toList();
    }

    @Test
    void aLabelWithoutSystemMatchesTheCodeInAnySystem() {
        AccessScope scope = AccessScope.UNRESTRICTED.withHiddenLabels(Set.of(new AccessScope.Label(null, "R")));
        assertThat(ids("Observation", "", scope)).doesNotContain("a-restricted");
    }

    @Test
    void aLabelNamingAnotherSystemDoesNotHideTheCode() {
        AccessScope scope = AccessScope.UNRESTRICTED.withHiddenLabels(Set.of(new AccessScope.Label("urn:other", "R")));
        assertThat(ids("Observation", "", scope)).contains("a-restricted");
    }

    @Test
    void anUpdateThatRemovesTheLabelShowsTheResourceAndOneThatAddsItHidesIt() {
        AccessScope scope = AccessScope.UNRESTRICTED.withHiddenLabels(Set.of(RESTRICTED));
        fx.put(withId(observation("a", "vital-signs", false), "a-restricted"));
        fx.put(withId(observation("a", "laboratory", true), "a-lab"));

        assertThat(ids("Observation", "subject=Patient/a", scope)).containsExactlyInAnyOrder("a-vitals", "a-restricted");
        assertThat(catchThrowableOfType(FhirException.class,
                () -> fx.repository.read("Observation", "a-lab", scope)).status()).isEqualTo(404);
        assertThat(fx.repository.read("Observation", "a-restricted", scope).id()).isEqualTo("a-restricted");
    }

    @Test
    void theMigrationFillsTheLabelColumnByTheWritersRule() throws Exception {
        Observation both = observation("b", "laboratory", true);
        both.getMeta().addSecurity(null, "SEX", null);
        both.getMeta().addSecurity("urn:other", "R", null);
        fx.put(withId(both, "b-two-labels"));
        Map<String, List<String>> written = labelColumn();
        assertThat(written).containsOnlyKeys("a-restricted", "b-two-labels");

        String migration = new String(getClass().getResourceAsStream(
                "/db/migration/fhir/V440__resource_security_labels.sql").readAllBytes(),
                java.nio.charset.StandardCharsets.UTF_8);
        String fill = migration.substring(migration.indexOf("update fhir_resource"));
        try (var c = fx.db.dataSource().getConnection(); var st = c.createStatement()) {
            st.execute("update fhir_resource set security = null");
            st.execute(fill);
        }
        assertThat(labelColumn()).isEqualTo(written);
    }

    /** Each labelled resource's security entries, sorted. */
    private Map<String, List<String>> labelColumn() throws Exception {
        Map<String, List<String>> out = new java.util.TreeMap<>();
        try (var c = fx.db.dataSource().getConnection(); var st = c.createStatement();
             var rs = st.executeQuery("select res_id, security from fhir_resource where security is not null")) {
            while (rs.next()) {
                String[] entries = (String[]) rs.getArray(2).getArray();
                out.put(rs.getString(1), java.util.Arrays.stream(entries).sorted().toList());
            }
        }
        return out;
    }

    @Test
    void typeFiltersRestrictWhatOfThatTypeIsSeen() {
        AccessScope scope = AccessScope.UNRESTRICTED.withTypeFilters(
                Map.of("Observation", List.of("category=vital-signs")));
        assertThat(ids("Observation", "", scope)).containsExactlyInAnyOrder("a-vitals", "a-restricted", "b-vitals");
        assertThat(ids("Patient", "", scope)).hasSize(2);
    }

    @Test
    void typesLimitSystemSearches() {
        AccessScope scope = AccessScope.UNRESTRICTED.withTypes(Set.of("Patient"));
        assertThat(ids(null, "_lastUpdated=gt2000-01-01", scope)).containsExactlyInAnyOrder("a", "b");
    }

    @Test
    void includesLeaveOutWhatTheScopeHides() {
        SearchPage page = page("Patient", "_id=a,b&_revinclude=Observation:subject", patients("a"));
        assertThat(page.matches()).extracting(StoredResource::id).containsExactly("a");
        assertThat(page.included()).extracting(StoredResource::id)
                .containsExactlyInAnyOrder("a-vitals", "a-lab", "a-restricted");
        SearchPage hidden = page("Observation", "_include=Observation:subject",
                AccessScope.UNRESTRICTED.withPatients(Set.of("a"), Set.of("Observation"), Set.of()));
        assertThat(hidden.included()).extracting(StoredResource::id).containsExactly("a");
    }

    @Test
    void chainsAndReverseChainsSeeOnlyVisibleResources() {
        String has = "_has:Observation:subject:_id=a-restricted";
        assertThat(ids("Patient", has, AccessScope.UNRESTRICTED)).containsExactly("a");
        assertThat(ids("Patient", has, AccessScope.UNRESTRICTED.withHiddenLabels(Set.of(RESTRICTED)))).isEmpty();
        assertThat(ids("Observation", "subject.name=Allen", AccessScope.UNRESTRICTED)).hasSize(3);
        assertThat(ids("Observation", "subject.name=Allen", AccessScope.UNRESTRICTED.withTypes(Set.of("Observation"))))
                .isEmpty();
    }

    @Test
    void aChainBesideAnotherConditionSeesOnlyVisibleResources() {
        // A restricted patient whose own observation carries no label: the chain must not find it by the name.
        Patient secret = withId(new Patient().addName(new HumanName().setFamily("Secret")), "c");
        secret.getMeta().addSecurity(CONFIDENTIALITY, "R", "restricted");
        fx.put(secret);
        fx.put(withId(observation("c", "vital-signs", false), "c-vitals"));
        AccessScope staff = AccessScope.UNRESTRICTED.withHiddenLabels(Set.of(RESTRICTED));
        String chained = "category=vital-signs&subject:Patient.name=Secret";
        assertThat(ids("Observation", chained, AccessScope.UNRESTRICTED)).containsExactly("c-vitals");
        assertThat(ids("Observation", chained, staff)).isEmpty();
        assertThat(page("Observation", chained + "&_total=accurate", staff).outcome().total()).isZero();
        assertThat(page("Observation", chained + "&_summary=count", staff).outcome().total()).isZero();
    }

    @Test
    void readsOutsideTheScopeAreNotFound() {
        assertThat(fx.repository.read("Observation", "a-vitals", patients("a")).id()).isEqualTo("a-vitals");
        FhirException e = catchThrowableOfType(FhirException.class,
                () -> fx.repository.read("Observation", "b-vitals", patients("a")));
        assertThat(e.status()).isEqualTo(404);
        FhirException v = catchThrowableOfType(FhirException.class,
                () -> fx.repository.vread("Observation", "b-vitals", 1, patients("a")));
        assertThat(v.status()).isEqualTo(404);
    }

    @Test
    void aDeletedResourceIsNotFoundRatherThanGoneForARestrictedCaller() {
        fx.delete("Observation", "b-vitals");
        FhirException e = catchThrowableOfType(FhirException.class,
                () -> fx.repository.read("Observation", "b-vitals", patients("a")));
        assertThat(e.status()).isEqualTo(404);
        FhirException unrestricted = catchThrowableOfType(FhirException.class,
                () -> fx.repository.read("Observation", "b-vitals", AccessScope.UNRESTRICTED));
        assertThat(unrestricted.status()).isEqualTo(410);
    }

    @Test
    void everythingLeavesOutHiddenResources() {
        PatientEverything finder = new PatientEverything(SearchFixture.REGISTRY);
        AccessScope scope = patients("a").withHiddenLabels(Set.of(RESTRICTED));
        var page = fx.repository.everything(finder, new PatientEverything.Request("a", null, null, 50, 0), scope);
        assertThat(page.resources()).extracting(StoredResource::id)
                .containsExactlyInAnyOrder("a", "a-vitals", "a-lab");
        FhirException e = catchThrowableOfType(FhirException.class, () -> fx.repository.everything(finder,
                new PatientEverything.Request("b", null, null, 50, 0), scope));
        assertThat(e.status()).isEqualTo(404);
    }

    @Test
    void everythingAddsTheResourcesTheRecordRefersToThatTheScopeShows() {
        PatientEverything finder = new PatientEverything(SearchFixture.REGISTRY);
        var request = new PatientEverything.Request("a", null, null, 50, 0);
        assertThat(fx.repository.everything(finder, request, AccessScope.UNRESTRICTED).referenced())
                .extracting(StoredResource::id).containsExactly("pr1");
        assertThat(fx.repository.everything(finder, request,
                AccessScope.UNRESTRICTED.withTypes(Set.of("Patient", "Observation"))).referenced()).isEmpty();
    }

    @Test
    void historyLeavesOutHiddenResources() {
        List<StoredResource> versions = fx.repository.history(new HistoryQuery("Observation", null, null, null, 50, 0),
                patients("b"));
        assertThat(versions).extracting(StoredResource::id).containsExactly("b-vitals");
        FhirException e = catchThrowableOfType(FhirException.class, () -> fx.repository.history(
                new HistoryQuery("Observation", "a-lab", null, null, 50, 0), patients("b")));
        assertThat(e.status()).isEqualTo(404);
    }

    @Test
    void aBulkExportBatchReadsInKeyOrderUnderTheScopeLeavingOutDeletedAndLaterChanges() {
        java.time.Instant now = java.time.Instant.now().plusSeconds(1);
        AccessScope patientA = patients("a").withHiddenLabels(Set.of(RESTRICTED));

        List<StoredResource> first = fx.repository.exportBatch("Observation", null, now, 0, 1, patientA);
        List<StoredResource> second = fx.repository.exportBatch("Observation", null, now, first.get(0).pk(), 5,
                patientA);
        List<StoredResource> everyone = fx.repository.exportBatch("Observation", null, now, 0, 10,
                AccessScope.UNRESTRICTED);
        List<StoredResource> beforeAnything = fx.repository.exportBatch("Observation", null,
                java.time.Instant.parse("2000-01-01T00:00:00Z"), 0, 10, AccessScope.UNRESTRICTED);
        List<StoredResource> sinceNow = fx.repository.exportBatch("Observation", now, now.plusSeconds(60), 0, 10,
                AccessScope.UNRESTRICTED);
        fx.repository.inTransaction(s -> s.delete("Observation", "b-vitals"));
        List<StoredResource> afterDelete = fx.repository.exportBatch("Observation", null,
                java.time.Instant.now().plusSeconds(1), 0, 10, AccessScope.UNRESTRICTED);

        // Patient a's readings that are not restricted, one batch of one and then the rest, in key order.
        assertThat(first).extracting(StoredResource::id).containsExactly("a-vitals");
        assertThat(second).extracting(StoredResource::id).containsExactly("a-lab");
        assertThat(everyone).extracting(StoredResource::id)
                .containsExactly("a-vitals", "a-lab", "a-restricted", "b-vitals");
        assertThat(everyone).extracting(StoredResource::pk).isSorted();
        assertThat(beforeAnything).isEmpty();
        assertThat(sinceNow).isEmpty();
        assertThat(afterDelete).extracting(StoredResource::id).doesNotContain("b-vitals").hasSize(3);
    }

    @Test
    void aBulkExportBatchHoldsEachResourceAsItWasAtTheTransactionTime() throws InterruptedException {
        java.time.Instant transactionTime = fx.repository.read("Observation", "b-vitals").lastUpdated();
        Thread.sleep(5);
        fx.clock.advance(java.time.Duration.ofMinutes(1));
        // Changed after the transaction time: a category changed, a reading deleted, a label removed, one made.
        fx.put(withId(observation("a", "laboratory", false), "a-vitals"));
        fx.repository.inTransaction(s -> s.delete("Observation", "b-vitals"));
        fx.put(withId(observation("a", "vital-signs", false), "a-restricted"));
        fx.put(withId(observation("a", "vital-signs", false), "a-later"));
        AccessScope hidingRestricted = AccessScope.UNRESTRICTED.withHiddenLabels(Set.of(RESTRICTED));

        List<StoredResource> atTransactionTime = fx.repository.exportBatch("Observation", null, transactionTime, 0,
                10, AccessScope.UNRESTRICTED);
        List<StoredResource> underLabels = fx.repository.exportBatch("Observation", null, transactionTime, 0, 10,
                hidingRestricted);
        List<StoredResource> sinceThen = fx.repository.exportBatch("Observation", transactionTime,
                java.time.Instant.now().plusSeconds(3600), 0, 10, AccessScope.UNRESTRICTED);

        // Each in the version current at the transaction time; the one made later is not there yet.
        assertThat(atTransactionTime).extracting(StoredResource::id)
                .containsExactly("a-vitals", "a-lab", "a-restricted", "b-vitals");
        assertThat(atTransactionTime).extracting(StoredResource::version).containsOnly(1);
        assertThat(atTransactionTime.get(0).json()).contains("vital-signs").doesNotContain("laboratory");
        // The label that version carried still hides it, though the current version has none.
        assertThat(underLabels).extracting(StoredResource::id).containsExactly("a-vitals", "a-lab", "b-vitals");
        // Changed after the transaction time: the current versions, without the deletion.
        assertThat(sinceThen).extracting(StoredResource::id).containsExactly("a-vitals", "a-restricted", "a-later");
        assertThat(sinceThen).extracting(StoredResource::version).containsExactly(2, 2, 1);
        // A batch of one after a-restricted skips the deletion and still holds a resource: it is not the end.
        assertThat(fx.repository.exportBatch("Observation", transactionTime, java.time.Instant.now().plusSeconds(3600),
                sinceThen.get(1).pk(), 1, AccessScope.UNRESTRICTED)).extracting(StoredResource::id)
                .containsExactly("a-later");
    }

    @Test
    void anExportOfSomePatientsHoldsWhatWasInTheirRecordsAtTheTransactionTime() throws InterruptedException {
        java.time.Instant transactionTime = fx.repository.read("Observation", "b-vitals").lastUpdated();
        Thread.sleep(5);
        fx.clock.advance(java.time.Duration.ofMinutes(1));
        // After the transaction time: one of a's readings deleted, one moved to b's record, b's moved to a's.
        fx.repository.inTransaction(s -> s.delete("Observation", "a-lab"));
        fx.put(withId(observation("b", "vital-signs", false), "a-vitals"));
        fx.put(withId(observation("a", "vital-signs", false), "b-vitals"));
        AccessScope hidingRestricted = AccessScope.UNRESTRICTED.withHiddenLabels(Set.of(RESTRICTED));

        // A client that may see every record, exporting a's, then b's.
        List<StoredResource> ofA = fx.repository.exportBatch("Observation", null, transactionTime, 0, 10,
                patients("a").withHiddenLabels(Set.of(RESTRICTED)), hidingRestricted);
        List<StoredResource> ofB = fx.repository.exportBatch("Observation", null, transactionTime, 0, 10,
                patients("b"), AccessScope.UNRESTRICTED);
        List<StoredResource> ofAOneAtATime = new java.util.ArrayList<>();
        long after = 0;
        for (List<StoredResource> batch; !(batch = fx.repository.exportBatch("Observation", null, transactionTime,
                after, 1, patients("a").withHiddenLabels(Set.of(RESTRICTED)), hidingRestricted)).isEmpty(); ) {
            ofAOneAtATime.addAll(batch);
            after = batch.getLast().pk();
        }
        // A client that may see a's record only: what it cannot see now stays out, as in its history.
        List<StoredResource> byAsOwnClient = fx.repository.exportBatch("Observation", null, transactionTime, 0, 10,
                patients("a"));

        // Each patient's readings as they were then, the deleted one included; none that only later became theirs.
        assertThat(ofA).extracting(StoredResource::id).containsExactly("a-vitals", "a-lab");
        assertThat(ofA).extracting(StoredResource::version).containsOnly(1);
        assertThat(ofB).extracting(StoredResource::id).containsExactly("b-vitals");
        assertThat(ofB.getFirst().json()).contains("Patient/b");
        assertThat(ofAOneAtATime).extracting(StoredResource::id).containsExactly("a-vitals", "a-lab");
        assertThat(byAsOwnClient).extracting(StoredResource::id).containsExactly("a-restricted");
    }

    @Test
    void anExportSinceAnInstantListsTheResourcesDeletedSinceThatItsSelectionHeld() throws InterruptedException {
        java.time.Instant since = fx.repository.read("Observation", "b-vitals").lastUpdated();
        Thread.sleep(5);
        fx.clock.advance(java.time.Duration.ofMinutes(1));
        fx.repository.inTransaction(s -> s.delete("Observation", "a-lab"));
        fx.repository.inTransaction(s -> s.delete("Observation", "a-restricted"));
        fx.repository.inTransaction(s -> s.delete("Observation", "b-vitals"));
        java.time.Instant until = java.time.Instant.now();
        AccessScope hidingRestricted = AccessScope.UNRESTRICTED.withHiddenLabels(Set.of(RESTRICTED));

        List<StoredResource> all = fx.repository.exportDeletedBatch("Observation", since, until, 0, 10,
                AccessScope.UNRESTRICTED, AccessScope.UNRESTRICTED);
        List<StoredResource> ofA = fx.repository.exportDeletedBatch("Observation", since, until, 0, 10,
                patients("a").withHiddenLabels(Set.of(RESTRICTED)), hidingRestricted);
        List<StoredResource> oneAtATime = new java.util.ArrayList<>();
        long after = 0;
        for (List<StoredResource> batch; !(batch = fx.repository.exportDeletedBatch("Observation", since, until,
                after, 1, patients("a"), AccessScope.UNRESTRICTED)).isEmpty(); ) {
            oneAtATime.addAll(batch);
            after = batch.getLast().pk();
        }
        List<StoredResource> byAsOwnClient = fx.repository.exportDeletedBatch("Observation", since, until, 0, 10,
                patients("a"), patients("a"));
        List<StoredResource> beforeTheDeletions = fx.repository.exportDeletedBatch("Observation", since, since, 0,
                10, AccessScope.UNRESTRICTED, AccessScope.UNRESTRICTED);
        List<StoredResource> sinceTheDeletions = fx.repository.exportDeletedBatch("Observation", until, until, 0,
                10, AccessScope.UNRESTRICTED, AccessScope.UNRESTRICTED);

        // Each in the version its deletion ended, which says whose it was.
        assertThat(all).extracting(StoredResource::id).containsExactly("a-lab", "a-restricted", "b-vitals");
        assertThat(all).extracting(StoredResource::deleted).containsOnly(false);
        assertThat(all.getLast().json()).contains("Patient/b");
        assertThat(ofA).extracting(StoredResource::id).containsExactly("a-lab");
        assertThat(oneAtATime).extracting(StoredResource::id).containsExactly("a-lab", "a-restricted");
        // A client limited to some patients cannot be told whose a deleted resource was: it is told of none.
        assertThat(byAsOwnClient).isEmpty();
        assertThat(beforeTheDeletions).isEmpty();
        assertThat(sinceTheDeletions).isEmpty();
    }
}

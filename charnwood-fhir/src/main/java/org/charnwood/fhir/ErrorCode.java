package org.charnwood.fhir;

/**
 * Stable, searchable codes for every failure the repository reports. The code appears in the
 * OperationOutcome (as {@code issue.details.coding}) so that support staff and partner
 * developers can look a failure up whatever the wording.
 */
public enum ErrorCode {
    RESOURCE_NOT_FOUND(1001, "Resource not found"),
    RESOURCE_GONE(1002, "Resource has been deleted"),
    VERSION_NOT_FOUND(1003, "Version not found"),
    UNKNOWN_RESOURCE_TYPE(1004, "Unknown resource type"),
    UNSUPPORTED_INTERACTION(1005, "Interaction not supported"),
    VERSION_CONFLICT(1010, "Version conflict"),
    MULTIPLE_MATCHES(1011, "Conditional request matched more than one resource"),
    REFERENCED_BY_OTHERS(1012, "Resource is referenced by other resources"),
    CONDITIONAL_NO_MATCH(1013, "Conditional reference or request matched no resource"),
    CONDITIONAL_UPDATE_ID_IN_USE(1014, "Conditional update matched nothing but its body id names another resource"),
    CONDITIONAL_WITHOUT_CRITERIA(1015, "Conditional request has no search criteria, so it would match every resource"),
    WRITES_CLASHED(1016, "Write clashed with others at the same moment each time it was tried, and was not made"),
    MALFORMED_BODY(1020, "Request body could not be parsed"),
    TYPE_MISMATCH(1021, "Resource type does not match the request"),
    ID_MISMATCH(1022, "Resource id does not match the request"),
    INVALID_RESOURCE(1023, "Resource is not valid"),
    INVALID_NHS_NUMBER(1024, "NHS number fails the Modulus 11 check"),
    DANGLING_REFERENCE(1025, "Reference to a resource that does not exist"),
    PAYLOAD_TOO_LARGE(1026, "Request body is too large"),
    INVALID_PATCH(1027, "Patch could not be applied"),
    INVALID_BUNDLE(1028, "Bundle could not be processed"),
    DUPLICATE_BUNDLE_ENTRY(1029, "Resource changed by more than one entry of a bundle"),
    PROFILE_NOT_MET(1033, "Resource does not conform to a profile it must meet"),
    UNKNOWN_SEARCH_PARAMETER(1030, "Unknown search parameter"),
    INVALID_SEARCH_PARAMETER(1031, "Search parameter value is not valid"),
    UNKNOWN_PROFILE(1032, "Claimed profile is not known, so it was not checked"),
    INCLUDES_INCOMPLETE(1034, "Included resources were left out at the server's limit"),
    INVALID_REQUEST(1040, "Request is not valid"),
    UNSUPPORTED_FORMAT(1041, "Requested format is not supported"),
    INTERNAL_ERROR(1099, "Internal error"),

    TERMINOLOGY_RELEASE_REFUSED(3000, "Terminology release is malformed or inconsistent and was not loaded"),
    TERMINOLOGY_RELEASE_NOT_FOUND(3001, "Terminology release files not found"),
    TERMINOLOGY_NOT_LOADED(3002, "No terminology release is loaded"),
    UNKNOWN_CONCEPT(3003, "Concept is not in the terminology release"),
    DMD_RELEASE_MALFORMED(3100, "dm+d release file is not well-formed XML"),
    DMD_RELEASE_INCOMPLETE(3101, "dm+d release is missing a required file"),
    DMD_RELEASE_INCONSISTENT(3102, "dm+d release refers to a product or substance it does not contain"),
    DMD_UNKNOWN_LOOKUP_CODE(3103, "dm+d release uses a code its lookup file does not define"),
    DMD_RELEASE_UNREADABLE(3104, "dm+d release could not be read"),
    DMD_IMPORT_FAILED(3105, "dm+d release could not be stored"),
    DMD_NO_SERVING_RELEASE(3106, "No dm+d release is being served"),
    SCHEDULING_NO_LOCATION(4001, "A patient's home or a staff base cannot be placed on the map for planning"),
    ROSTER_PERIOD_INVALID(4030, "Roster period is not valid"),
    ROSTER_NOT_FOUND(4031, "Roster does not exist"),
    ROSTER_ALREADY_PUBLISHED(4032, "Roster has already been published"),
    ROSTER_OVERLAPS_PUBLISHED(4033, "Roster period overlaps a roster already published for the team"),
    ROSTER_TEAM_UNKNOWN(4034, "Team has no staff to roster"),
    ROSTER_MANAGER_ONLY(4035, "Only a nurse manager may plan rosters or decide requests"),
    SHIFT_NOT_FOUND(4040, "Shift does not exist"),
    SHIFT_TAKEN(4041, "Shift has already been booked"),
    SHIFT_NOT_QUALIFIED(4042, "Staff member is not qualified for the shift"),
    SHIFT_REST_BROKEN(4043, "Booking would leave less than the minimum rest between shifts"),
    SHIFT_TOO_MANY_NIGHTS(4044, "Booking would exceed the limit on consecutive nights"),
    SHIFT_NOTICE_TOO_SHORT(4045, "Shift starts too soon to cancel"),
    SHIFT_NOT_BANK_STAFF(4046, "Only bank staff may book bank shifts"),
    SHIFT_ALREADY_STARTED(4047, "Shift has already started"),
    SHIFT_NOT_BOOKED_BY_CALLER(4048, "Shift is not booked by this staff member"),
    SHIFT_DOUBLE_BOOKED(4049, "Staff member already works a shift at that time"),
    STAFF_REQUEST_INVALID(4050, "Leave or shift request is not valid"),
    STAFF_REQUEST_NOT_FOUND(4051, "Leave or shift request does not exist"),
    STAFF_REQUEST_ALREADY_DECIDED(4052, "Leave or shift request has already been decided"),
    TRIAGE_NOT_PERMITTED(5050, "Only clinicians and nurses of the service may triage its referrals"),
    REFERRAL_NOT_AWAITING_TRIAGE(5051, "The referral is not awaiting triage"),
    TRIAGE_DECISION_INVALID(5052, "The triage decision is incomplete or not valid"),
    SERVICE_HAS_NO_TEAM(5053, "The service has no active care team to take the referral on"),
    UNKNOWN_SERVICE(5054, "No such service"),
    INFORMATION_REQUEST_CLOSED(5055, "The information request has already been answered or withdrawn"),
    EPISODE_NOT_OPEN(4500, "The episode of care is not open"),
    AUTHENTICATION_REQUIRED(2050, "Authentication is required"),
    ACCESS_DENIED(2051, "The access policy does not permit this"),
    SCOPE_NOT_GRANTED(2052, "The client was not granted a scope for this"),
    NO_LEGITIMATE_RELATIONSHIP(2053, "No legitimate relationship with the patient"),
    WRITE_NOT_PERMITTED(2054, "The access policy does not permit this change"),
    BUNDLE_ENTRY_REFUSED(2055, "An entry of the bundle is not permitted"),
    BREAK_GLASS_INVALID(2056, "Emergency access request is not valid"),
    IDENTITY_NOT_VERIFIED(2057, "Identity not proven to the level needed to see health records"),
    AUDIT_EVENT_READ_ONLY(2100, "AuditEvents are recorded by the server and cannot be changed"),
    AUDIT_UNAVAILABLE(2101, "The audit trail could not record the request"),
    CONCEPT_INACTIVE(3150, "SNOMED CT concept is inactive"),
    CONCEPT_UNKNOWN(3151, "Code is not in the terminology release"),
    CODE_MALFORMED(3152, "Code is not a well-formed SNOMED CT identifier"),
    MEDICATION_PRODUCT_INVALID(3153, "Medication code is not a valid dm+d product"),
    MEDICATION_CODE_HISTORIC(3154, "Medication code has been replaced in dm+d"),
    CODE_UNJUDGED(3155, "Code could not be checked against a partial terminology release"),
    UNKNOWN_CODE_SYSTEM(3160, "Code system is not served here"),
    UNKNOWN_VALUE_SET(3161, "Value set is not known here"),
    ECL_SYNTAX(3162, "Expression constraint is not valid ECL"),
    ECL_TOO_COSTLY(3163, "Expression constraint is too costly to evaluate"),
    TERMINOLOGY_PARAMETER_MISSING(3164, "Terminology operation parameter is missing or not valid"),
    REFERRAL_INFORMATION_MISSING(5000, "Referral information the pathway needs is missing or not valid"),
    REFERRAL_CRITERIA_NOT_MET(5001, "The patient does not meet the pathway's criteria"),
    REFERRAL_DUPLICATE(5002, "An open referral to this service already exists"),
    PATHWAY_NOT_FOUND(5003, "Referral pathway not found"),
    PATHWAY_INVALID(5004, "Referral pathway is not valid"),
    REFERRAL_INVALID(5005, "Referral is not valid"),
    PATHWAY_VERSION_RETIRED(5006, "Referral pathway version is retired"),
    REFERRAL_BETTER_SERVICE(5007, "Another service fits the referral better"),
    SELF_REFERRAL_NOT_ALLOWED(5008, "The service does not take self-referrals");

    public static final String SYSTEM = "https://charnwood.nhs.example/fhir/CodeSystem/error-code";

    private final int number;
    private final String title;

    ErrorCode(int number, String title) {
        this.number = number;
        this.title = title;
    }

    /** The code as shown to people, for example {@code CHARNWOOD-1023}. */
    public String code() {
        return "CHARNWOOD-" + number;
    }

    public String title() {
        return title;
    }
}

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
    EPISODE_NOT_OPEN(4500, "The episode of care is not open"),
    AUTHENTICATION_REQUIRED(2050, "Authentication is required"),
    ACCESS_DENIED(2051, "The access policy does not permit this"),
    SCOPE_NOT_GRANTED(2052, "The client was not granted a scope for this"),
    NO_LEGITIMATE_RELATIONSHIP(2053, "No legitimate relationship with the patient"),
    WRITE_NOT_PERMITTED(2054, "The access policy does not permit this change"),
    BUNDLE_ENTRY_REFUSED(2055, "An entry of the bundle is not permitted"),
    BREAK_GLASS_INVALID(2056, "Emergency access request is not valid"),
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
    TERMINOLOGY_PARAMETER_MISSING(3164, "Terminology operation parameter is missing or not valid");

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

package org.charnwood.app.triage;

/** Who a triager confirms the sender of a self-referral to be. */
enum IdentityChoice {

    /** The patient of the existing record the details matched when the referral came in. */
    MATCHED("matched"),
    /** The patient of another existing record, named by NHS number. */
    EXISTING("existing"),
    /** Someone the trust has no record of: the provisional record made from their details becomes theirs. */
    NEW_PATIENT("new");

    private final String code;

    IdentityChoice(String code) {
        this.code = code;
    }

    String code() {
        return code;
    }

    /** The choice a form sent, or null for none or an unknown one. */
    static IdentityChoice ofCode(String code) {
        for (IdentityChoice c : values()) {
            if (c.code.equals(code)) {
                return c;
            }
        }
        return null;
    }
}

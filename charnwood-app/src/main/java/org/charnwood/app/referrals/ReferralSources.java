package org.charnwood.app.referrals;

import java.util.LinkedHashMap;
import java.util.Map;

/** The sources of referral (code system referral-source) with their displays, as the forms offer them. */
final class ReferralSources {

    static final Map<String, String> ALL = new LinkedHashMap<>();

    static {
        ALL.put("gp", "GP practice");
        ALL.put("acute", "Acute hospital");
        ALL.put("internal", "Another service of the trust");
        ALL.put("self", "Self-referral");
        ALL.put("social-care", "Social care");
        ALL.put("111", "NHS 111");
        ALL.put("ambulance", "Ambulance service");
        ALL.put("care-home", "Care home");
    }

    private ReferralSources() {
    }

    static String display(String code) {
        return ALL.getOrDefault(code, code);
    }
}

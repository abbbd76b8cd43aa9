package org.charnwood.app.security.accounts;

import java.util.List;

/**
 * The ids of every demo account ({@link DemoAccounts} makes them, kept in step with it). Their password is
 * published: outside demo mode they are disabled at start-up ({@link LeftoverDemoAccounts}), and the account
 * command will not enable them.
 */
public final class DemoAccountIds {

    public static final List<String> ALL = List.of("demo-clinician", "demo-nurse", "demo-nursemanager",
            "demo-therapist", "demo-hca", "demo-booking", "demo-analyst", "demo-ig", "demo-sysadmin", "demo-totp",
            "demo-bank", "demo-bankhca", "demo-patient1", "demo-patient2", "demo-patient3", "demo-carer");

    private DemoAccountIds() {
    }
}

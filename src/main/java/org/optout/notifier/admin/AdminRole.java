package org.optout.notifier.admin;

/** The role of the operator account (HTTP Basic; the password comes from NOTIFIER_ADMIN_PASSWORD). */
public final class AdminRole {

    public static final String NAME = "admin";

    private AdminRole() {
    }
}

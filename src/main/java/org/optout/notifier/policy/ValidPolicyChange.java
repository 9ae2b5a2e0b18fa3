package org.optout.notifier.policy;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Set;

/**
 * A policy change that passed every rule of the contract, normalised: platform codes lower-case, regions upper-case
 * ({@code UK} read as {@code GB}), and the countries it affects worked out from its regions and excluded regions.
 */
public record ValidPolicyChange(String changeId, int revision, PolicyChangeStatus status, Set<String> platforms,
        Set<String> countries, LocalDate effectiveDate, Instant effectiveAt, String title, boolean dryRun,
        PolicyChangeData data) {
}

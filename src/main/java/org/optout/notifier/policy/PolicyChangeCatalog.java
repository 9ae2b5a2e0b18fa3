package org.optout.notifier.policy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The changes people can still act on: every active (not cancelled) change, upcoming deadlines first, then those
 * already in effect, since opting out late still stops future use.
 */
@ApplicationScoped
public class PolicyChangeCatalog {

    private static final Comparator<PolicyChangeView> SOONEST_DEADLINE_THEN_MOST_RECENT = Comparator
            .comparing(PolicyChangeView::inEffect)
            .thenComparingLong(view -> view.inEffect() ? -view.effectiveDate().toEpochDay()
                    : view.effectiveDate().toEpochDay());

    private final Clock clock;
    private final ObjectMapper json;

    PolicyChangeCatalog(Clock clock, ObjectMapper json) {
        this.clock = clock;
        this.json = json;
    }

    /**
     * @param country only changes affecting this ISO country, or all when null
     * @param platform only changes concerning this platform code, or all when null
     */
    @Transactional
    public List<PolicyChangeView> active(String country, String platform) {
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        List<PolicyChange> changes = PolicyChange.list("status", PolicyChangeStatus.ACTIVE);
        return changes.stream()
                .filter(change -> country == null || change.countries.contains(country))
                .filter(change -> platform == null || change.platforms.contains(platform))
                .map(change -> PolicyChangeView.of(change, data(change), today))
                .sorted(SOONEST_DEADLINE_THEN_MOST_RECENT)
                .toList();
    }

    /**
     * Active changes for this country and any of these platforms that took effect on or after {@code since}:
     * what a new subscriber can still refuse for the future.
     */
    @Transactional
    public List<PolicyChangeView> inEffectSince(String country, Collection<String> platforms, LocalDate since) {
        return active(country, null).stream()
                .filter(PolicyChangeView::inEffect)
                .filter(view -> !view.effectiveDate().isBefore(since))
                .filter(view -> view.platforms().stream().anyMatch(platforms::contains))
                .toList();
    }

    @Transactional
    public Optional<PolicyChange> find(String changeId) {
        return PolicyChange.findByChangeId(changeId);
    }

    /** A stored change as the public API shows it. */
    public PolicyChangeView view(PolicyChange change) {
        return PolicyChangeView.of(change, data(change), LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC));
    }

    private PolicyChangeData data(PolicyChange change) {
        try {
            return json.readValue(change.data, PolicyChangeData.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored policy change " + change.changeId + " is unreadable", e);
        }
    }
}

package org.optout.notifier.inbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.optout.notifier.problem.FieldError;
import org.optout.notifier.problem.InvalidRequestException;

/** The reason label of rejected records stays within the contract's fields, whatever a publisher sends. */
class EventMetricsTest {

    @Test
    void namesTheFieldOfTheFirstBrokenRuleAtMostTwoLevelsDeep() {
        assertThat(EventMetrics.reason(new InvalidEventException("source: https://x is not allowed (source)")))
                .isEqualTo("source");
        assertThat(EventMetrics.reason(new InvalidEventException(
                "data.optOut.steps[2]: must not be blank (required); data.title: required (required)")))
                .isEqualTo("data.optOut");
        assertThat(EventMetrics.reason(new InvalidRequestException(List.of(
                new FieldError("email", "format", "must be an email address"))))).isEqualTo("email");
    }

    @Test
    void aFieldTheContractDoesNotKnowIsNamedByItsRuleOnly() {
        assertThat(EventMetrics.reason(new InvalidEventException(
                "data.anything-a-publisher-invents: is not a field of the contract (unknown-field)")))
                .isEqualTo("unknown-field");
    }

    @Test
    void anythingElseIsAProcessingFailure() {
        assertThat(EventMetrics.reason(new IllegalStateException("processing failed 8 times: x")))
                .isEqualTo("processing");
    }
}

package org.optout.notifier.reminder;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.optout.notifier.reminder.DeadlineProjection.Projection;
import org.optout.notifier.reminder.DeadlineProjection.Waiting;

/** The projection's arithmetic: one queue in due order, idle until the next group falls due, late counted evenly. */
class DeadlineQueueTest {

    private static final Instant NOW = Instant.parse("2026-12-04T09:00:00Z");

    @Test
    void changesShareOneQueueInDueOrder() {
        List<Waiting> waiting = List.of(new Waiting("a", NOW.minusSeconds(60), 100),
                new Waiting("b", NOW.plusSeconds(30), 50), new Waiting("a", NOW.plusSeconds(3_600), 10));
        Map<String, Instant> deadlines = Map.of("a", NOW.plusSeconds(3_700), "b", NOW.plusSeconds(120));

        Map<String, Projection> projections = DeadlineProjection.project(waiting, deadlines, 1.0, NOW);

        // b waits behind a's first hundred: from 100 s to 150 s, 30 s past its deadline, so 30 of its 50 are late.
        assertThat(projections.get("b")).isEqualTo(new Projection(50, NOW.plusSeconds(120), NOW.plusSeconds(150),
                -30L, 30L, 1.0));
        // The queue is idle from 150 s until a's last ten fall due at 3,600 s.
        assertThat(projections.get("a")).isEqualTo(new Projection(110, NOW.plusSeconds(3_700),
                NOW.plusSeconds(3_610), 90L, 0L, 1.0));
    }

    @Test
    void withoutARateOnlyTheWaitingAreCounted() {
        Map<String, Projection> projections = DeadlineProjection.project(
                List.of(new Waiting("a", NOW, 5)), Map.of("a", NOW.plusSeconds(60)), 0, NOW);

        assertThat(projections.get("a")).isEqualTo(new Projection(5, NOW.plusSeconds(60), null, null, null, 0));
    }
}

package org.optout.notifier.reminder;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.optout.notifier.config.TestClock;
import org.optout.notifier.infrastructure.Fixtures;
import org.optout.notifier.infrastructure.KafkaBroker;
import org.optout.notifier.infrastructure.SmtpFaults;
import org.optout.notifier.infrastructure.SmtpFaults.Fault;
import org.optout.notifier.infrastructure.SmtpFaults.Stage;
import org.optout.notifier.infrastructure.SmtpServer;
import org.optout.notifier.policy.PlanningTask;
import org.optout.notifier.policy.PolicyChange;
import org.optout.notifier.policy.PolicyChanges;
import org.optout.notifier.subscription.Subscription;
import org.optout.notifier.subscription.SubscriptionStatus;
import org.optout.notifier.subscription.Tokens;

/**
 * A subscriber who stops (unsubscribes, erases their data, or says they already opted out of a change) while mail is
 * on its way: once the stop is acknowledged, nothing more reaches them. A mail already handed to the relay when they
 * clicked is not called back: the stop waits for it (at most the send timeout), so that the answer the subscriber
 * sees comes after the last mail, never before. Checked against the real database, broker and SMTP server, with the
 * mail counted at the SMTP server when the stop returns and again once everything queued has been dispatched.
 */
@QuarkusTest
@Tag("persistence")
class StopRaceTest {

    private static final ZoneId VADUZ = ZoneId.of("Europe/Vaduz");
    private static final Duration WAIT = Duration.ofSeconds(30);
    /** Longer than H2's default lock timeout, shorter than the test profile's send timeout. */
    private static final Duration STALL = Duration.ofSeconds(3);
    private static final Pattern CSRF = Pattern.compile("name=\"csrf-token\" value=\"([^\"]+)\"");

    /** The three ways a subscriber stops mail, each through the path a subscriber uses. */
    enum Stop {
        UNSUBSCRIBE, ERASE, OPTED_OUT
    }

    /** What the organisation publishes while subscribers stop. */
    enum Event {
        REVISION_MOVES_THE_DATE, CANCELLATION
    }

    /** A subscriber of the test, and how they stop (null: they stay). */
    private record Person(long id, String email, String salt, Stop stop, String changeId) {
    }

    @Inject
    ReminderPlanner planner;

    @Inject
    ReminderDispatcher dispatcher;

    @Inject
    TestClock clock;

    @Inject
    Tokens tokens;

    @AfterEach
    void recover() {
        SmtpFaults.clear();
        clock.reset();
    }

    @ParameterizedTest
    @EnumSource(Stop.class)
    void aStopWhileTheirMailIsWithTheRelayWaitsForItAndNothingFollows(Stop stop) throws Exception {
        LocalDate effective = LocalDate.now().plusDays(20);
        String changeId = "in-flight-" + UUID.randomUUID();
        Fixtures.linkedInChange(changeId, "In flight", effective, List.of("LI"), true);
        Person person = person("in-flight-" + stop.name().toLowerCase() + "-" + UUID.randomUUID() + "@example.org",
                stop, changeId);
        planner.planTasks();
        moveClockTo(dueAt(effective, 7).plusSeconds(1));

        SmtpFaults.next(1, Stage.DATA_END, person.email(), Fault.stall(STALL));
        CompletableFuture<Integer> round = CompletableFuture.supplyAsync(dispatcher::dispatchDue);
        assertThat(SmtpFaults.awaitStall(WAIT)).as("their reminder is with the relay").isTrue();
        int status = stop(person);
        int receivedWhenAnswered = received(person.email());
        round.get(WAIT.toSeconds(), TimeUnit.SECONDS);

        assertThat(status).as("the stop succeeds while the relay holds their mail").isBetween(200, 299);
        assertThat(receivedWhenAnswered).as("the mail in flight arrived before the answer").isEqualTo(1);
        dispatchEverythingUntil(effective);
        assertThat(received(person.email())).as("nothing after the answer").isEqualTo(receivedWhenAnswered);
        assertStopped(person);
    }

    /**
     * Subscribers stop while the organisation's revision or cancellation is being stored and planned and the
     * dispatcher sends what that queues ("the deadline moved", "no longer needed"): whatever the interleaving,
     * nothing arrives after a stop was answered, while those who stayed get their mail.
     */
    @ParameterizedTest
    @EnumSource(Event.class)
    void stopsRacingAnEventAndTheDispatcherLeaveNothingToArriveAfterwards(Event event) throws Exception {
        LocalDate effective = LocalDate.now().plusDays(20);
        String changeId = "race-" + event.name().toLowerCase().replace('_', '-') + "-" + UUID.randomUUID();
        List<Person> people = new ArrayList<>();
        for (int i = 0; i < 18; i++) {
            Stop stop = i % 2 == 1 ? null : Stop.values()[i / 2 % Stop.values().length];
            people.add(person("race-" + i + "-" + UUID.randomUUID() + "@example.org", stop, changeId));
        }
        publish(data(changeId, 1, effective));
        awaitPlanned(changeId, 1);
        moveClockTo(dueAt(effective, 7).plusSeconds(1));
        dispatcher.dispatchDue();
        for (Person person : people) {
            assertThat(SmtpServer.awaitMessages(person.email(), m -> true, 1, WAIT)).as("reminded 7 days ahead")
                    .hasSize(1);
        }

        AtomicBoolean racing = new AtomicBoolean(true);
        CompletableFuture<Void> dispatching = CompletableFuture.runAsync(() -> {
            while (racing.get()) {
                dispatcher.dispatchDue();
            }
        });
        Map<String, Object> second = data(changeId, 2, event == Event.CANCELLATION ? effective : effective.plusDays(10));
        if (event == Event.CANCELLATION) {
            second.put("status", "CANCELLED");
        }
        // Four subscribers at a time stop from the moment the event is published: some before it is planned, some
        // while the planner works, some while the dispatcher sends what it queued.
        ExecutorService clicks = Executors.newFixedThreadPool(4);
        Map<Person, CompletableFuture<Integer>> stops = new LinkedHashMap<>();
        for (Person person : people.stream().filter(p -> p.stop() != null).toList()) {
            stops.put(person, CompletableFuture.supplyAsync(() -> {
                assertThat(stop(person)).as(person.stop() + " answered").isBetween(200, 299);
                return received(person.email());
            }, clicks));
        }
        publish(second);
        Map<Person, Integer> receivedWhenAnswered = new LinkedHashMap<>();
        for (Map.Entry<Person, CompletableFuture<Integer>> stop : stops.entrySet()) {
            receivedWhenAnswered.put(stop.getKey(), stop.getValue().get(WAIT.toSeconds(), TimeUnit.SECONDS));
        }
        clicks.shutdown();
        awaitPlanned(changeId, 2);
        for (Person stayed : people.stream().filter(p -> p.stop() == null).toList()) {
            assertThat(SmtpServer.awaitMessages(stayed.email(), m -> true, 2, WAIT))
                    .as("those who stayed are told about the " + event).hasSize(2);
        }
        racing.set(false);
        dispatching.get(WAIT.toSeconds(), TimeUnit.SECONDS);

        dispatchEverythingUntil(effective.plusDays(10));
        receivedWhenAnswered.forEach((person, answered) -> assertThat(received(person.email()))
                .as("nothing after " + person.stop() + " was answered").isEqualTo(answered));
        receivedWhenAnswered.keySet().forEach(this::assertStopped);
    }

    private Person person(String email, Stop stop, String changeId) {
        String salt = tokens.newSalt();
        long id = Fixtures.subscriber(tokens, salt, email, "LI", VADUZ.getId(), 9, "en", SubscriptionStatus.ACTIVE,
                "linkedin");
        return new Person(id, email, salt, stop, changeId);
    }

    /** The stop through the subscriber's own path; returns its HTTP status. */
    private int stop(Person person) {
        return switch (person.stop()) {
            // The one click of a mail client (RFC 8058), through the List-Unsubscribe link of the mail itself.
            case UNSUBSCRIBE -> given().contentType("application/x-www-form-urlencoded")
                    .body("List-Unsubscribe=One-Click").post("/unsubscribe/" + tokens.unsubscribeToken(person.salt()))
                    .statusCode();
            case ERASE -> given().delete("/api/subscriptions/" + tokens.manageToken(person.salt())).statusCode();
            // The link under the change in a reminder: a page asking to confirm, then its form.
            case OPTED_OUT -> {
                Response form = given().get(optedOutPage(person.salt(), person.changeId()));
                Matcher csrf = CSRF.matcher(form.asString());
                assertThat(csrf.find()).as("the opted-out form").isTrue();
                yield given().cookie("csrf-token", form.cookie("csrf-token"))
                        .contentType("application/x-www-form-urlencoded").formParam("csrf-token", csrf.group(1))
                        .post(optedOutPage(person.salt(), person.changeId())).statusCode();
            }
        };
    }

    private String optedOutPage(String salt, String changeId) {
        return "/opted-out/" + tokens.unsubscribeToken(salt) + "/" + changeId;
    }

    private void assertStopped(Person person) {
        QuarkusTransaction.requiringNew().run(() -> {
            Subscription subscription = Subscription.findById(person.id());
            long pending = Reminder.count("subscriptionId = ?1 and status = ?2", person.id(), ReminderStatus.PENDING)
                    + FollowUp.count("subscriptionId = ?1 and status = ?2", person.id(), ReminderStatus.PENDING);
            switch (person.stop()) {
                case UNSUBSCRIBE -> assertThat(subscription.status).isEqualTo(SubscriptionStatus.UNSUBSCRIBED);
                case ERASE -> assertThat(subscription).as("erased").isNull();
                case OPTED_OUT -> assertThat(subscription.status).isEqualTo(SubscriptionStatus.ACTIVE);
            }
            assertThat(pending).as("nothing pending for " + person.stop()).isZero();
        });
    }

    /** Every mail the dispatcher would send up to the deadline: the lead days left and any follow-up. */
    private void dispatchEverythingUntil(LocalDate effective) {
        dispatcher.dispatchDue();
        for (int leadDay : List.of(7, 1)) {
            Instant due = dueAt(effective, leadDay).plusSeconds(60);
            if (due.isAfter(clock.instant())) {
                moveClockTo(due);
            }
            dispatcher.dispatchDue();
        }
    }

    private static int received(String email) {
        try {
            return SmtpServer.awaitMessages(email, m -> true, Integer.MAX_VALUE, Duration.ZERO).size();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, Object> data(String changeId, int revision, LocalDate effective) {
        Map<String, Object> data = PolicyChanges.data(changeId, revision);
        data.put("regions", List.of("LI"));
        data.put("effectiveDate", effective.toString());
        return data;
    }

    private static void publish(Map<String, Object> data) {
        PolicyChanges.publish(KafkaBroker.companion(), PolicyChanges.structured(PolicyChanges.PCPD,
                "evt-" + data.get("changeId") + "-" + data.get("revision"), data));
    }

    /** Until the change is stored at this revision and its planning done. */
    private static void awaitPlanned(String changeId, int revision) throws InterruptedException {
        Instant deadline = Instant.now().plus(WAIT);
        while (Instant.now().isBefore(deadline)) {
            boolean planned = QuarkusTransaction.requiringNew().call(() -> PolicyChange.findByChangeId(changeId)
                    .map(c -> c.revision == revision).orElse(false)
                    && PlanningTask.count("changeId", changeId) == 0);
            if (planned) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError(changeId + " not planned at revision " + revision + " within " + WAIT);
    }

    private void moveClockTo(Instant instant) {
        clock.advance(Duration.between(clock.instant(), instant));
    }

    private static Instant dueAt(LocalDate effective, int leadDay) {
        return effective.minusDays(leadDay).atTime(9, 0).atZone(VADUZ).toInstant();
    }
}

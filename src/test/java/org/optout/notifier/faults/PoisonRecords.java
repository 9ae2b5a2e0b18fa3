package org.optout.notifier.faults;

import java.time.LocalDate;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.optout.notifier.benchmark.ServiceUnderTest;
import org.optout.notifier.infrastructure.CloudEventRecords;
import org.optout.notifier.policy.PolicyChangeConsumer;
import org.optout.notifier.subscription.SubscriptionRequestConsumer;

/**
 * The malformed records the poison scenario produces, kind after kind on both incoming topics: broken JSON, no
 * CloudEvent, the wrong event type or source, missing and wrong-typed fields, unknown platforms, regions and
 * countries, 3 MB values (they pass the broker compressed), 40,000-item lists, dates out of range, the stored revision
 * sent again with other data, control characters and bidirectional overrides.
 */
final class PoisonRecords {

    private static final String HUGE = "x".repeat(3 * 1024 * 1024);
    private static final LocalDate EFFECTIVE = LocalDate.now().plusDays(60);

    private interface Kind {
        ProducerRecord<String, String> record(Stage stage, String id, String lastChangeId) throws Exception;
    }

    private record Named(String name, Kind kind) {
    }

    static final List<Named> KINDS = List.of(
            new Named("change: broken JSON", (s, id, last) -> raw(s.policyChanges(), id,
                    "{\"specversion\":\"1.0\",\"type\":")),
            new Named("change: not a CloudEvent", (s, id, last) -> raw(s.policyChanges(), id, "[1,2,3]")),
            new Named("change: wrong type", (s, id, last) -> CloudEventRecords.structured(s.policyChanges(), id,
                    "optout.other.v1", ServiceUnderTest.SOURCE, id, change(id, Map.of()))),
            new Named("change: impostor source", (s, id, last) -> CloudEventRecords.structured(s.policyChanges(), id,
                    PolicyChangeConsumer.TYPE, "https://impostor.example.org", id, change(id, Map.of()))),
            new Named("change: missing fields", (s, id, last) -> change(s, id, "{\"changeId\":\"" + id + "\"}")),
            new Named("change: wrong-typed fields", (s, id, last) -> change(s, id, change(id,
                    Map.of("revision", "three", "regions", "EU")))),
            new Named("change: unknown platform", (s, id, last) -> change(s, id, change(id,
                    Map.of("platforms", List.of("linkedin", "myspace"))))),
            new Named("change: unknown region", (s, id, last) -> change(s, id, change(id,
                    Map.of("regions", List.of("EU", "XX"))))),
            new Named("change: 3 MB value", (s, id, last) -> change(s, id, change(id, Map.of("summary", HUGE)))),
            new Named("change: 40,000 regions", (s, id, last) -> change(s, id, change(id,
                    Map.of("regions", Collections.nCopies(40_000, "EU"))))),
            new Named("change: date out of range", (s, id, last) -> change(s, id, change(id,
                    Map.of("effectiveDate", "-5000-01-01")))),
            new Named("change: stored revision, other data", (s, id, last) -> CloudEventRecords.structured(s.policyChanges(),
                    last, PolicyChangeConsumer.TYPE, ServiceUnderTest.SOURCE, id,
                    Publisher.changeData(last, 1, EFFECTIVE, Map.of("title", "A late copy")))),
            new Named("change: control character", (s, id, last) -> change(s, id, change(id,
                    Map.of("title", "Opt out\u0007 now")))),
            new Named("change: bidi override", (s, id, last) -> change(s, id, change(id,
                    Map.of("title", "Opt out by \u202Eetadpu\u202C")))),
            new Named("sign-up: broken JSON", (s, id, last) -> raw(s.signUps(), id, "{\"data\":{\"email\":")),
            new Named("sign-up: not a CloudEvent", (s, id, last) -> raw(s.signUps(), id, "\"just a string\"")),
            new Named("sign-up: wrong type", (s, id, last) -> CloudEventRecords.structured(s.signUps(), id,
                    "optout.other.v1", ServiceUnderTest.SOURCE, id, Publisher.signUpData(email(id), Map.of()))),
            new Named("sign-up: missing email", (s, id, last) -> signUp(s, id, "{\"country\":\"HK\"}")),
            new Named("sign-up: wrong-typed fields", (s, id, last) -> signUp(s, id, Publisher.signUpData(email(id),
                    Map.of("platforms", "linkedin", "sendHour", "nine")))),
            new Named("sign-up: unknown platform", (s, id, last) -> signUp(s, id, Publisher.signUpData(email(id),
                    Map.of("platforms", List.of("myspace"))))),
            new Named("sign-up: unknown country", (s, id, last) -> signUp(s, id, Publisher.signUpData(email(id),
                    Map.of("country", "XX")))),
            new Named("sign-up: 3 MB value", (s, id, last) -> signUp(s, id, Publisher.signUpData(email(id),
                    Map.of("language", HUGE)))),
            new Named("sign-up: 40,000 platforms", (s, id, last) -> signUp(s, id, Publisher.signUpData(email(id),
                    Map.of("platforms", Collections.nCopies(40_000, "linkedin"))))),
            new Named("sign-up: control character", (s, id, last) -> signUp(s, id, Publisher.signUpData(
                    "bell\u0007" + email(id), Map.of()))),
            new Named("sign-up: bidi override", (s, id, last) -> signUp(s, id, Publisher.signUpData(email(id),
                    Map.of("timeZone", "Europe/\u202EBerlin")))));

    private final Stage stage;

    PoisonRecords(Stage stage) {
        this.stage = stage;
    }

    /** The {@code i}-th bad record: the kinds in turn. */
    ProducerRecord<String, String> record(int i, String lastChangeId) throws Exception {
        return KINDS.get(i % KINDS.size()).kind().record(stage, "poison-bad-" + i, lastChangeId);
    }

    /** The {@code i}-th record of the flood that comes first: 3 MB values, on each topic in turn. */
    ProducerRecord<String, String> flood(int i) throws Exception {
        return floodKind(i).kind().record(stage, "poison-flood-" + i, null);
    }

    String floodName(int i) {
        return floodKind(i).name();
    }

    private static Named floodKind(int i) {
        return KINDS.stream().filter(kind -> kind.name().endsWith("3 MB value")).toList().get(i % 2);
    }

    String kind(int i) {
        return KINDS.get(i % KINDS.size()).name();
    }

    String kinds() {
        return KINDS.stream().map(Named::name).collect(Collectors.joining(", "));
    }

    private static ProducerRecord<String, String> raw(String topic, String key, String value) {
        return CloudEventRecords.raw(topic, key, value);
    }

    private static ProducerRecord<String, String> change(Stage stage, String id, String data) {
        return CloudEventRecords.structured(stage.policyChanges(), id, PolicyChangeConsumer.TYPE,
                ServiceUnderTest.SOURCE, id, data);
    }

    private static String change(String id, Map<String, Object> replaced) throws Exception {
        return Publisher.changeData(id, 1, EFFECTIVE, replaced);
    }

    private static ProducerRecord<String, String> signUp(Stage stage, String id, String data) {
        return CloudEventRecords.structured(stage.signUps(), email(id), SubscriptionRequestConsumer.TYPE,
                ServiceUnderTest.SOURCE, id, data);
    }

    private static String email(String id) {
        return id + "@example.org";
    }
}

package org.optout.notifier.policy;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import java.time.LocalDate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.optout.notifier.infrastructure.KafkaBroker;

/** GET /api/policy-changes: active changes with their deadlines, filtered by country and platform. */
@QuarkusTest
class PolicyChangeApiTest {

    private static final KafkaCompanion kafka = KafkaBroker.companion();
    /** The demo sample as a change of this test's own: the shipped one is PolicyChangeSamplesTest's. */
    private static final String DEMO = "api-demo-linkedin-genai-training";

    @BeforeAll
    static void publishSamples() throws Exception {
        SampleEvents.publish(kafka, "demo-upcoming-deadline.json", DEMO, LocalDate.now().plusDays(10), null);
        SampleEvents.publish(kafka, "meta-ai-interactions-2025.json", null);
    }

    @Test
    void upcomingChangesComeWithTheirLastDayToAct() {
        LocalDate effective = LocalDate.now().plusDays(10);
        given().get("/api/policy-changes?country=HK&platform=linkedin").then().statusCode(200)
                .body("find { it.changeId == '" + DEMO + "' }.effectiveDate",
                        equalTo(effective.toString()))
                .body("find { it.changeId == '" + DEMO + "' }.lastDayToAct",
                        equalTo(effective.minusDays(1).toString()))
                .body("find { it.changeId == '" + DEMO + "' }.inEffect", equalTo(false))
                .body("find { it.changeId == '" + DEMO + "' }.optOut.steps.size()", equalTo(5))
                .body("platforms", everyItem(hasItem("linkedin")));
    }

    @Test
    void filtersFollowTheCountriesEachChangeAffects() {
        given().get("/api/policy-changes?country=DE").then().statusCode(200)
                .body("changeId", not(hasItem("meta-ai-interactions-2025")));
        given().get("/api/policy-changes?country=US&platform=instagram").then().statusCode(200)
                .body("changeId", hasItem("meta-ai-interactions-2025"))
                .body("find { it.changeId == 'meta-ai-interactions-2025' }.inEffect", equalTo(true));
    }

    @Test
    void badFiltersAreProblems() {
        given().get("/api/policy-changes?country=XX&platform=myspace").then().statusCode(400)
                .contentType("application/problem+json")
                .body("errors.field", hasItem("country"))
                .body("errors.field", hasItem("platform"));
    }
}

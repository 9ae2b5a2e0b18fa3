package org.optout.notifier.health;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

@QuarkusTest
class ObservabilityEndpointsTest {

    @Test
    void livenessAndStartupAreUp() {
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/health/started").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void readinessChecksTheDatabaseButNotKafka() {
        given().get("/q/health/ready").then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItem("Database connections health check"))
                .body("checks.name", not(hasItem("Kafka cluster")));
    }

    @Test
    void kafkaStateIsReportedAsWellness() {
        given().get("/q/health/well").then().statusCode(200)
                .body("checks.find { it.name == 'Kafka cluster' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'Kafka cluster' }.data.nodes", equalTo(1));
    }

    @Test
    void metricsAreExposedForPrometheus() {
        given().accept("text/html").get("/").then().statusCode(200);

        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("jvm_memory_used_bytes"))
                .body(containsString("http_server_requests_seconds_count{"));
    }

    @Test
    void openApiDocumentAndSwaggerUiAreServed() {
        given().get("/q/openapi").then().statusCode(200).body(containsString("optout-notifier API"));
        given().get("/q/swagger-ui/").then().statusCode(200);
    }
}

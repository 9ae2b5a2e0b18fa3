package org.optout.notifier.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

@QuarkusTest
class HomeResourceTest {

    @Test
    void webRootExplainsTheService() {
        given().accept("text/html").get("/").then().statusCode(200)
                .contentType(containsString("text/html"))
                .body(containsString("<h1>optout-notifier</h1>"));
    }
}

package org.optout.notifier.subscription;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/** REST clients for tests, each request from its own client IP unless one is given. */
final class Clients {

    private static final AtomicInteger NEXT_IP = new AtomicInteger(1);

    private Clients() {
    }

    static String newIp() {
        int n = NEXT_IP.getAndIncrement();
        return "10." + (n >> 16 & 255) + "." + (n >> 8 & 255) + "." + (n & 255);
    }

    static RequestSpecification fromNewIp() {
        return from(newIp());
    }

    static RequestSpecification from(String ip) {
        return given().header("X-Forwarded-For", ip).contentType(ContentType.JSON);
    }

    static String newAddress() {
        return "subscriber-" + UUID.randomUUID() + "@example.org";
    }

    static String signUpBody(String email) {
        return """
                {"email":"%s","country":"HK","platforms":["linkedin"],"language":"en"}""".formatted(email);
    }
}

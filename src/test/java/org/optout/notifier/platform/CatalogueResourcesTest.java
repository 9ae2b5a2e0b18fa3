package org.optout.notifier.platform;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasSize;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** The reference data that forms and publishers use. */
@QuarkusTest
class CatalogueResourcesTest {

    @Test
    void platformCatalogueHasCodesAndDisplayNames() {
        given().get("/api/platforms").then().statusCode(200)
                .body("code", hasItems("linkedin", "facebook", "instagram", "threads", "whatsapp", "messenger", "x",
                        "tiktok", "youtube", "google", "microsoft", "reddit", "snapchat", "pinterest"))
                .body("find { it.code == 'linkedin' }.name", equalTo("LinkedIn"));
    }

    @Test
    void regionsListCountriesWithZonesAndTheGroups() {
        given().get("/api/regions").then().statusCode(200)
                .body("countries.find { it.code == 'HK' }.name", equalTo("Hong Kong SAR China"))
                .body("countries.find { it.code == 'HK' }.defaultTimeZone", equalTo("Asia/Hong_Kong"))
                .body("groups.find { it.code == 'EU' }.countries", hasSize(27))
                .body("groups.find { it.code == 'EEA' }.countries", hasItems("NO", "IS", "LI"));
        given().header("Accept-Language", "zh-HK").get("/api/regions").then()
                .body("countries.find { it.code == 'DE' }.name", equalTo("德國"));
    }
}

package io.hybridlake.platform;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.funqy.Funq;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.ext.web.Route;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * With API keys on (as in production): every function and route needs a valid key, by header or
 * {@code ?code=}, else a 401 problem document; health and the API documentation stay open; and the
 * OpenAPI document describes every HTTP function and route the platform serves.
 */
@QuarkusTest
@TestProfile(ApiKeysAreRequiredTest.KeysOn.class)
@WithTestResource(LocalPlatformResource.class)
class ApiKeysAreRequiredTest {
    public static class KeysOn implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("hybridlake.api.auth", "true", "hybridlake.api.keys", "key-one,key-two");
        }
    }

    @Test
    void functionsNeedAValidKeyHealthDoesNot() {
        given().get("/streamStatus").then().statusCode(401).contentType(startsWith("application/problem+json"))
                .header("www-authenticate", containsString("x-functions-key"))
                .body(containsString("an API key is required"));
        given().header("x-functions-key", "key-three").get("/streamStatus").then().statusCode(401)
                .body(containsString("not valid")).body(containsString("/streamStatus"));
        given().header("x-functions-key", "key-two").get("/streamStatus").then().statusCode(200);
        given().queryParam("code", "key-one").get("/streamStatus").then().statusCode(200);
        given().queryParam("code", "key-one").queryParam("q", "SELECT 1 AS one").get("/sql").then().statusCode(200);
        given().body("x").post("/tables/transactions/files?name=a.csv").then().statusCode(401); // streamed route too
        given().get("/q/health/live").then().statusCode(200);
        given().get("/q/health/ready").then().statusCode(200);
        given().get("/q/openapi").then().statusCode(200);
    }

    @Test
    void theOpenApiDocumentDescribesEveryFunctionAndRoute() throws Exception {
        String doc = given().queryParam("format", "json").get("/q/openapi").then().statusCode(200).extract().asString();
        Set<String> served = new TreeSet<>();
        for (Class<?> functions : new Class<?>[] {io.hybridlake.triggers.LakeFunctions.class,
                io.hybridlake.triggers.BatchFunctions.class, io.hybridlake.triggers.StreamMaintenanceFunctions.class,
                io.hybridlake.triggers.CustomHandlerFunctions.class}) {
            for (Method m : functions.getDeclaredMethods()) {
                if (m.isAnnotationPresent(Funq.class)) {
                    String name = m.getAnnotation(Funq.class).value();
                    served.add("/" + (name.isEmpty() ? m.getName() : name));
                }
            }
        }
        for (Route r : RouteRecorder.router.getRoutes()) {
            String path = r.getPath();
            if (path != null && !path.startsWith("/q/") && !path.equals("/")) {
                served.add(path.replaceAll(":(\\w+)", "{$1}"));
            }
        }
        assertThat(served).contains("/ingest", "/merge", "/sql", "/route", "/tables/{table}/unified");
        for (String path : served) {
            assertThat(doc).as("the OpenAPI document describes %s", path).contains("\"" + path + "\"");
        }
    }
}

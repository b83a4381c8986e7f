package io.hybridlake.platform;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.startsWith;

import io.hybridlake.lake.Lake;
import io.hybridlake.lake.TablePath;
import io.hybridlake.stream.StreamMetrics;
import io.hybridlake.triggers.BatchFunctions;
import io.hybridlake.triggers.CustomHandlerHttp;
import io.hybridlake.triggers.CustomHandlerStream;
import io.hybridlake.triggers.CustomHandlerTimers;
import io.hybridlake.triggers.StreamFunctions;
import io.hybridlake.triggers.StreamMaintenanceFunctions;
import io.hybridlake.triggers.TableFunctions;
import io.quarkus.funqy.Funq;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.vertx.ext.web.Route;
import jakarta.inject.Inject;
import java.lang.reflect.Method;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * With keys on (as in production), every endpoint the platform serves is tried with a key of every
 * role: the role the table below names gets through (whatever the endpoint then answers), the others
 * get a 403 problem and nothing happens; no key, a wrong key or a key in the URL is a 401. A served
 * endpoint missing from the table fails the test, so a new endpoint is a decision, not an accident.
 * Health and the API documentation stay open, and the OpenAPI document describes every endpoint.
 */
@QuarkusTest
@TestProfile(ApiKeysHaveRolesTest.KeysOn.class)
@WithTestResource(LocalPlatformResource.class)
class ApiKeysHaveRolesTest {
    public static class KeysOn implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("hybridlake.api.auth", "true", "hybridlake.api.admin-keys", "admin-key",
                    "hybridlake.api.read-keys", "read-key,read-key-2", "hybridlake.api.ingest-keys", "ingest-key");
        }
    }

    enum Needs { INGEST, READ, ADMIN }

    /** Who may call what: the contract, written out independently of the platform's own table. */
    static final Map<String, Needs> CONTRACT = Map.ofEntries(
            Map.entry("/ingest", Needs.INGEST), Map.entry("/tables/{table}/events", Needs.INGEST),
            Map.entry("/tables/{table}/files", Needs.INGEST), Map.entry("/route", Needs.INGEST),
            Map.entry("/streamStatus", Needs.READ), Map.entry("/pipelines", Needs.READ),
            Map.entry("/tableInfo", Needs.READ), Map.entry("/tableRows", Needs.READ), Map.entry("/lineage", Needs.READ),
            Map.entry("/windows", Needs.READ), Map.entry("/tables/{table}/unified", Needs.READ),
            Map.entry("/sql", Needs.READ), Map.entry("/imports", Needs.READ), Map.entry("/ops/dashboard", Needs.READ),
            Map.entry("/q/metrics", Needs.READ),
            Map.entry("/importJdbc", Needs.ADMIN), Map.entry("/merge", Needs.ADMIN), Map.entry("/curate", Needs.ADMIN),
            Map.entry("/compact", Needs.ADMIN), Map.entry("/vacuum", Needs.ADMIN), Map.entry("/replay", Needs.ADMIN),
            Map.entry("/rebuildSpeedCache", Needs.ADMIN), Map.entry("/resetStreamStatus", Needs.ADMIN),
            Map.entry("/resetOffsets", Needs.ADMIN), Map.entry("/resumePipeline", Needs.ADMIN),
            Map.entry("/pausePipeline", Needs.ADMIN),
            Map.entry("/StreamEvents", Needs.ADMIN), Map.entry("/StreamEvents_transactions", Needs.ADMIN),
            Map.entry("/MergeTimer", Needs.ADMIN), Map.entry("/CompactTimer", Needs.ADMIN),
            Map.entry("/VacuumTimer", Needs.ADMIN), Map.entry("/LandingScanTimer", Needs.ADMIN), Map.entry("/IngestHttp", Needs.ADMIN),
            Map.entry("/QueryHttp", Needs.ADMIN), Map.entry("/SqlHttp", Needs.ADMIN), Map.entry("/RouteHttp", Needs.ADMIN));

    static final Map<Needs, String> KEY_OF = new EnumMap<>(Map.of(Needs.ADMIN, "admin-key", Needs.READ, "read-key",
            Needs.INGEST, "ingest-key"));

    @Inject
    Lake lake;

    @Inject
    StreamMetrics metrics;

    @Test
    void everyEndpointTimesEveryRole() {
        Set<String> served = served();
        assertThat(CONTRACT.keySet()).as("every served endpoint has a role in the contract").containsAll(served);
        for (Map.Entry<String, Needs> endpoint : CONTRACT.entrySet()) {
            String path = endpoint.getKey().replace("{table}", "no_such_table");
            for (Needs role : Needs.values()) {
                boolean allowed = role == Needs.ADMIN || role == endpoint.getValue();
                Response r = call(path, endpoint.getValue(), KEY_OF.get(role));
                if (allowed) {
                    assertThat(r.statusCode()).as("%s with a %s key", path, role).isNotIn(401, 403);
                } else {
                    assertThat(r.statusCode()).as("%s with a %s key", path, role).isEqualTo(403);
                    assertThat(r.contentType()).startsWith("application/problem+json");
                    assertThat(r.body().asString()).contains("needs a key of role '"
                            + endpoint.getValue().name().toLowerCase() + "'");
                }
            }
        }
    }

    @Test
    void aDeniedCallChangesNothing() {
        long before = lake.table(TablePath.merged("transactions")).latestVersion();
        given().header("x-functions-key", "ingest-key").contentType("application/json").body("{}").post("/merge")
                .then().statusCode(403);
        given().header("x-functions-key", "read-key").contentType("application/json").body("{}").post("/merge")
                .then().statusCode(403);
        assertThat(lake.table(TablePath.merged("transactions")).latestVersion()).isEqualTo(before);
        given().header("x-functions-key", "read-key").contentType("application/json")
                .body("{\"table\":\"transactions\",\"events\":[{\"transaction_id\":\"x\"}]}").post("/ingest")
                .then().statusCode(403);
        assertThat(metrics.received.sum()).isZero();
        given().header("x-functions-key", "ingest-key").contentType("application/json")
                .body("{\"sql\":\"SELECT 1\"}").post("/route").then().statusCode(403)
                .body(containsString("role 'read'"));
    }

    @Test
    void keysGoInTheHeaderOnly() {
        given().get("/streamStatus").then().statusCode(401).contentType(startsWith("application/problem+json"))
                .header("www-authenticate", containsString("x-functions-key"))
                .body(containsString("an API key is required"));
        given().header("x-functions-key", "no-such-key").get("/streamStatus").then().statusCode(401)
                .body(containsString("not valid")).body(containsString("/streamStatus"));
        given().header("x-functions-key", "read-key-2").get("/streamStatus").then().statusCode(200);
        given().queryParam("code", "admin-key").get("/streamStatus").then().statusCode(401)
                .body(containsString("not accepted in the URL"));
        given().body("x").post("/tables/transactions/files?name=a.csv").then().statusCode(401); // streamed route too
        given().header("x-functions-key", "read-key").body("x").post("/tables/transactions/files?name=a.csv").then()
                .statusCode(403);
        given().get("/q/health/live").then().statusCode(200);
        given().get("/q/openapi").then().statusCode(200);
    }

    @Test
    void theOpenApiDocumentDescribesEveryFunctionAndRoute() {
        String doc = given().queryParam("format", "json").get("/q/openapi").then().statusCode(200).extract().asString();
        Set<String> served = served();
        assertThat(served).contains("/ingest", "/merge", "/sql", "/route", "/tables/{table}/unified", "/pipelines",
                "/resetOffsets");
        for (String path : served) {
            assertThat(doc).as("the OpenAPI document describes %s", path).contains("\"" + path + "\"");
        }
    }

    private static Response call(String path, Needs needs, String key) {
        var request = given().header("x-functions-key", key);
        return needs == Needs.READ ? request.get(path)
                : request.contentType("application/json").body("{}").post(path);
    }

    private static Set<String> served() {
        Set<String> served = new TreeSet<>();
        for (Class<?> functions : new Class<?>[] {TableFunctions.class, StreamFunctions.class,
                BatchFunctions.class, StreamMaintenanceFunctions.class, CustomHandlerStream.class,
                CustomHandlerTimers.class, CustomHandlerHttp.class}) {
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
        return served;
    }
}

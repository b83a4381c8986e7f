package io.hybridlake.platform;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.hybridlake.stream.PipelineStates;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Where this instance consumes no topic (as behind the Functions host, whose Event Hubs trigger
 * delivers the events), an operator's pause would be recorded and reported while nothing honours it:
 * it is refused, naming the pipeline, and no pause is recorded.
 */
@QuarkusTest
@TestProfile(PauseNeedsAConsumerTest.WithoutConsumers.class)
@WithTestResource(LocalPlatformResource.class)
class PauseNeedsAConsumerTest {
    public static class WithoutConsumers implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("hybridlake.stream.consume", "false");
        }
    }

    @Inject
    PipelineStates pipelineStates;

    @Test
    void aPauseNothingWouldHonourIsRefused() {
        String detail = given().contentType("application/json").body("{\"table\":\"transactions\",\"reason\":\"maintenance\"}")
                .post("/pausePipeline").then().statusCode(400).extract().jsonPath().getString("detail");
        assertThat(detail).contains("transactions").contains("no stream consumer");
        var state = pipelineStates.of("transactions");
        assertThat(state == null ? null : state.pausedBy()).isNull();
    }
}

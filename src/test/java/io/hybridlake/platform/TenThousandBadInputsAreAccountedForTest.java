package io.hybridlake.platform;

import static io.hybridlake.platform.PlatformClient.awaitUntil;
import static io.hybridlake.platform.PlatformClient.rows;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.hybridlake.lake.Lake;
import io.hybridlake.lake.TablePath;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.IntFunction;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Fuzz: 10,000 bad events — malformed, oversized, wrongly typed, wrongly encoded and hostile — sent
 * straight to the broker, and bad files uploaded through the batch path. The platform stays up and
 * every single one is in {@code _rejected/fuzz} with a reason; nothing reaches refined.
 */
@QuarkusTest
@WithTestResource(LocalPlatformResource.class)
class TenThousandBadInputsAreAccountedForTest {
    private static final int EVENTS = 10_000;

    @Inject
    Lake lake;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    /** The kinds of bad input, each a generator of one payload. */
    private static List<IntFunction<byte[]>> kinds(SplittableRandom random) {
        List<IntFunction<byte[]>> kinds = new ArrayList<>();
        kinds.add(i -> ("{\"id\":\"m" + i + "\",\"amount\":").getBytes(StandardCharsets.UTF_8));          // truncated
        kinds.add(i -> {                                                                                  // random bytes
            byte[] b = new byte[1 + random.nextInt(200)];
            random.nextBytes(b);
            b[0] = (byte) '{';
            return b;
        });
        kinds.add(i -> ("[{\"id\":\"a" + i + "\"}]").getBytes(StandardCharsets.UTF_8));                   // not an object
        kinds.add(i -> ("{\"id\":\"t" + i + "\",\"amount\":\"lots\",\"at\":\"2025-01-01T00:00:00Z\"}")   // wrong type
                .getBytes(StandardCharsets.UTF_8));
        kinds.add(i -> ("{\"id\":\"d" + i + "\",\"amount\":1,\"at\":\"yesterday\"}").getBytes(StandardCharsets.UTF_8));
        kinds.add(i -> ("{\"id\":\"c" + i + "\",\"amount\":1,\"count\":1.5,\"at\":\"2025-01-01T00:00:00Z\"}")
                .getBytes(StandardCharsets.UTF_8));                                                        // fraction for a long
        kinds.add(i -> ("{\"id\":\"r" + i + "\",\"amount\":-5,\"at\":\"2025-01-01T00:00:00Z\"}")          // rule: range
                .getBytes(StandardCharsets.UTF_8));
        kinds.add(i -> ("{\"amount\":1,\"at\":\"2025-01-01T00:00:00Z\"}").getBytes(StandardCharsets.UTF_8)); // missing key
        kinds.add(i -> {                                                                                  // invalid UTF-8
            byte[] b = ("{\"id\":\"u" + i + "??\",\"amount\":1,\"at\":\"2025-01-01T00:00:00Z\"}")
                    .getBytes(StandardCharsets.US_ASCII);
            int at = ("{\"id\":\"u" + i).length();
            b[at] = (byte) 0xff; // bytes no UTF-8 text contains
            b[at + 1] = (byte) 0xfe;
            return b;
        });
        kinds.add(i -> ("{\"id\":\"w" + i + "\",\"amount\":1,\"at\":\"2025-01-01T00:00:00Z\"}")          // UTF-16
                .getBytes(StandardCharsets.UTF_16));
        kinds.add(i -> ("[".repeat(5_000) + "]".repeat(5_000)).getBytes(StandardCharsets.UTF_8));         // deep nesting
        kinds.add(i -> ("{\"id\":\"n" + i + "\",\"amount\":1e400,\"at\":\"2025-01-01T00:00:00Z\"}")       // out of range
                .getBytes(StandardCharsets.UTF_8));
        kinds.add(i -> ("{\"id\":\"x" + i + "\",\"amount\":NaN,\"at\":\"2025-01-01T00:00:00Z\"}")
                .getBytes(StandardCharsets.UTF_8));
        kinds.add(i -> new byte[0]);                                                                      // empty
        kinds.add(i -> ("{\"id\":{\"$gt\":\"\"},\"amount\":1,\"at\":\"2025-01-01T00:00:00Z\"}")           // injection object
                .getBytes(StandardCharsets.UTF_8));
        kinds.add(i -> ("{\"id\":\"o" + i + "\",\"amount\":1,\"at\":\"2025-01-01T00:00:00Z\"} trailing")
                .getBytes(StandardCharsets.UTF_8));
        return kinds;
    }

    @Test
    void everyBadEventAndFileRowIsRejectedWithAReason() throws Exception {
        SplittableRandom random = new SplittableRandom(11);
        List<IntFunction<byte[]>> kinds = kinds(random);
        byte[] oversized = new byte[1_100_000]; // over hybridlake.stream.max-event-bytes (1 MB)
        Arrays.fill(oversized, (byte) 'a');
        try (var producer = new KafkaProducer<byte[], byte[]>(Map.of("bootstrap.servers", bootstrap,
                "max.request.size", 4 << 20), new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < EVENTS; i++) {
                byte[] payload = i % 1000 == 999 ? oversized : kinds.get(i % kinds.size()).apply(i);
                producer.send(new ProducerRecord<>("hybridlake.fuzz", null, payload));
            }
            producer.flush();
        }
        int fileRows = 600;
        StringBuilder csv = new StringBuilder("id,amount,count,at\n");
        for (int i = 0; i < fileRows; i++) {
            csv.append(switch (i % 4) {
                case 0 -> "f" + i + ",abc,1,2025-01-01T00:00:00Z";
                case 1 -> "f" + i + ",1,1,not-a-time";
                case 2 -> ",1,1,2025-01-01T00:00:00Z";
                default -> "f" + i + ",99999,1,2025-01-01T00:00:00Z";
            }).append('\n');
        }
        given().queryParam("name", "bad.csv").body(csv.toString().getBytes(StandardCharsets.UTF_8))
                .post("/tables/fuzz/files").then().statusCode(200);

        awaitUntil("all 10,000 events and " + fileRows + " file rows rejected",
                () -> rows(lake, TablePath.rejected("fuzz")).size() >= EVENTS + fileRows);
        List<Object[]> rejected = rows(lake, TablePath.rejected("fuzz"));
        assertThat(rejected).hasSize(EVENTS + fileRows);
        assertThat(rejected).allSatisfy(r -> assertThat((String) r[6]).as("reason").isNotBlank());
        assertThat(rejected.stream().filter(r -> "hybridlake.fuzz".equals(r[0])).count()).isEqualTo(EVENTS);
        assertThat(rejected).anySatisfy(r -> assertThat((String) r[6]).contains("over the limit"));
        assertThat(rejected).anySatisfy(r -> assertThat((String) r[6]).contains("malformed JSON"));
        assertThat(rejected).anySatisfy(r -> assertThat((String) r[6]).contains("'amount'"));
        assertThat(lake.table(TablePath.refinedStream("fuzz")).exists()
                ? rows(lake, TablePath.refinedStream("fuzz")) : List.of()).isEmpty();
        given().get("/q/health/ready").then().statusCode(200);
        System.out.printf("TenThousandBadInputsAreAccountedForTest: %d bad events and %d bad file rows, all in "
                + "_rejected/fuzz with a reason%n", EVENTS, fileRows);
    }
}

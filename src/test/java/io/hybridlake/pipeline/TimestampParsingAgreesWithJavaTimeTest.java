package io.hybridlake.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The hand-written fast path must give exactly what java.time gives, and refuse what it refuses. */
class TimestampParsingAgreesWithJavaTimeTest {
    static long reference(String s) {
        try {
            return Timestamps.micros(OffsetDateTime.parse(s).toInstant());
        } catch (DateTimeParseException e) {
            return Timestamps.micros(LocalDateTime.parse(s).toInstant(ZoneOffset.UTC));
        }
    }

    @Test
    void generatedTimestampsInEveryFormParseAsJavaTimeDoes() {
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 20_000; i++) {
            Instant instant = Instant.ofEpochSecond(random.nextLong(-2_000_000_000L, 4_000_000_000L), random.nextInt(1_000_000_000));
            ZoneOffset offset = ZoneOffset.ofTotalSeconds(random.nextInt(-18 * 4, 18 * 4 + 1) * 900);
            OffsetDateTime t = instant.atOffset(offset);
            for (String s : new String[] {t.toString(), instant.toString(), t.toLocalDateTime().toString(),
                    t.withNano(0).toString(), t.withNano((t.getNano() / 1000) * 1000).toString()}) {
                assertThat(Timestamps.parseMicros(s)).as(s).isEqualTo(reference(s));
            }
        }
    }

    @Test
    void invalidDatesAreRefusedLikeJavaTimeRefusesThem() {
        for (String bad : new String[] {"2025-02-30T10:00:00Z", "2025-13-01T10:00:00Z", "2025-01-01T24:00:00Z",
                "2025-01-01T10:00:00+25:00", "yesterday", "2025-01-01 10:00:00Z"}) {
            assertThatThrownBy(() -> Timestamps.parseMicros(bad)).as(bad).isInstanceOf(DateTimeParseException.class);
        }
        assertThat(Timestamps.fastParse("2024-02-29T00:00:00Z")).isEqualTo(reference("2024-02-29T00:00:00Z"));
        // java.time accepts an empty fraction; the fast path declines it and defers, so the result is java.time's
        assertThat(Timestamps.parseMicros("2025-01-01T10:00:00.Z")).isEqualTo(reference("2025-01-01T10:00:00.Z"));
    }
}

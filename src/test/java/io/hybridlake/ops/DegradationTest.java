package io.hybridlake.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DegradationTest {
    @Test
    void aStreamIsStaleOnlyWithWaitingEventsAndNoProgress() {
        Duration allowed = Duration.ofMinutes(2);
        assertThat(Degradation.staleStream(0, 600_000, allowed)).as("idle, nothing waiting").isNull();
        assertThat(Degradation.staleStream(500, 60_000, allowed)).as("waiting, but a batch a minute ago").isNull();
        assertThat(Degradation.staleStream(500, 180_000, allowed))
                .isEqualTo("500 events wait in the broker and no batch completed for 180 s (allowed: 120 s)");
    }

    @Test
    void aJobMissedItsScheduleAfterThreeIntervalsWithoutSuccess() {
        Duration minute = Duration.ofMinutes(1);
        assertThat(Degradation.missedSchedule("merge", minute, 0, 180_000, null)).isNull();
        assertThat(Degradation.missedSchedule("merge", minute, 0, 181_000, "disk full"))
                .isEqualTo("merge has not succeeded for 181 s (scheduled every 60 s); last error: disk full");
        assertThat(Degradation.missedSchedule("merge", null, 0, Long.MAX_VALUE, null)).as("a job that is off").isNull();
    }
}

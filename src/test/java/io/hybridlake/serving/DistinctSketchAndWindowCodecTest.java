package io.hybridlake.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * count_distinct's sketch — exact up to its limit, then HyperLogLog within its stated error,
 * mergeable, indifferent to repeats — and the window state codec the speed cache stores, which must
 * give back exactly what it was given (sketches included) and refuse another format by name.
 */
class DistinctSketchAndWindowCodecTest {
    private static DistinctSketch of(int from, int to) {
        DistinctSketch s = new DistinctSketch();
        for (int i = from; i < to; i++) {
            s.add("user-" + i);
        }
        return s;
    }

    @Test
    void exactUpToTheLimitAndRepeatsCountOnce() {
        DistinctSketch s = of(0, DistinctSketch.EXACT_LIMIT);
        for (int i = 0; i < DistinctSketch.EXACT_LIMIT; i++) {
            s.add("user-" + i); // again
        }
        assertThat(s.estimate()).isEqualTo(DistinctSketch.EXACT_LIMIT);
        assertThat(of(0, 7).estimate()).isEqualTo(7);
    }

    @Test
    void largeCardinalitiesAreWithinThreeStandardErrors() {
        for (int n : new int[] {1_000, 20_000, 200_000}) {
            long estimate = of(0, n).estimate();
            assertThat(Math.abs(estimate - n) / (double) n).as("relative error at %d", n).isLessThan(3 * 0.023);
        }
    }

    @Test
    void mergingEqualsCountingTheUnionAndCopiesAreIndependent() {
        DistinctSketch left = of(0, 30_000);
        DistinctSketch right = of(20_000, 50_000); // overlaps 20,000..29,999
        DistinctSketch merged = left.copy();
        merged.merge(right);
        assertThat(merged.estimate()).isEqualTo(of(0, 50_000).estimate());
        assertThat(left.estimate()).isEqualTo(of(0, 30_000).estimate());
        DistinctSketch small = of(0, 10);
        small.merge(of(5, 15));
        assertThat(small.estimate()).isEqualTo(15);
    }

    @Test
    void sketchesSurviveEncoding() {
        for (DistinctSketch s : List.of(of(0, 100), of(0, 100_000))) {
            ByteBuffer buffer = ByteBuffer.allocate(s.encodedSize());
            s.encode(buffer);
            buffer.flip();
            byte kind = buffer.get();
            DistinctSketch back = DistinctSketch.decode(buffer, kind);
            assertThat(back.estimate()).isEqualTo(s.estimate());
            assertThat(buffer.remaining()).isZero();
        }
    }

    @Test
    void windowStatesRoundTripAndAnotherFormatIsRefusedByName() {
        WindowId id = new WindowId("transactions", "customer_5m", "c1", 1_700_000_000_000_000L);
        DistinctSketch[] distinct = {null, of(0, 500)};
        Segment segment = new Segment(10L, 20L, 3L, new double[] {42.5, 0}, new long[] {3, 3}, distinct);
        WindowState state = new WindowState(id, new ArrayList<>(List.of(segment)), 99L, 7L,
                new HashMap<>(Map.of("hybridlake.transactions/0", 41L, "hybridlake.transactions/1", 12L)));
        byte[] bytes = WindowStateCodec.encode(state);
        assertThat(WindowStateCodec.version(bytes)).isEqualTo(7L);
        WindowState back = WindowStateCodec.decode(id, bytes);
        assertThat(back.version()).isEqualTo(7L);
        assertThat(back.updatedAt()).isEqualTo(99L);
        assertThat(back.count()).isEqualTo(3L);
        assertThat(back.highWater()).isEqualTo(state.highWater());
        assertThat(back.segments()).hasSize(1);
        assertThat(WindowStateCodec.encode(back)).isEqualTo(bytes);
        bytes[0] = 1;
        assertThatThrownBy(() -> WindowStateCodec.decode(id, bytes)).hasMessageContaining("customer_5m")
                .hasMessageContaining("format 1");
    }
}

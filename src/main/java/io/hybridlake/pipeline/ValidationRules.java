package io.hybridlake.pipeline;

import java.util.List;
import java.util.Map;
import java.util.Set;

/** Validation: events breaking these go to the dead-letter table with the reason. */
public record ValidationRules(List<String> required, Map<String, Set<String>> allowed, Map<String, Range> ranges) {
    public record Range(Double min, Double max) {
        public boolean contains(double v) {
            return (min == null || v >= min) && (max == null || v <= max);
        }

        @Override
        public String toString() {
            return "[" + (min == null ? "-inf" : min) + ", " + (max == null ? "+inf" : max) + "]";
        }
    }
}

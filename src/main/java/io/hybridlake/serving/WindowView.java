package io.hybridlake.serving;

import java.util.Map;

/** A window's aggregates as the API returns them; times are ISO-8601 UTC. */
public record WindowView(String table, String window, String key, String windowStart, String windowEnd, long count,
        Map<String, Double> aggregates, String lastEventTime, String updatedAt) {
}

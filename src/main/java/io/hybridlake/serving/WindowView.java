package io.hybridlake.serving;

import java.util.Map;

/**
 * A window's aggregates as the API returns them; times are ISO-8601 UTC. Windows are [start, end)
 * except sliding windows, which are (start, end] as in Stream Analytics.
 */
public record WindowView(String table, String window, String type, String key, String windowStart, String windowEnd,
        long count, Map<String, Double> aggregates, String lastEventTime, String updatedAt) {
}

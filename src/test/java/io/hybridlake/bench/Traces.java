package io.hybridlake.bench;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.SplittableRandom;

/**
 * The stream benchmark's event traces, seeded, as Kafka (key, value) byte arrays built before the clock
 * starts (the load generator shares the platform's cores; formatting JSON is its cost, not the platform's).
 * <ul>
 * <li>{@code live}: event times near their send time, up to 20 s out of order: each key sees a window or two.
 * <li>{@code realistic}: a replay or a catch-up after an outage: event times spread over {@link #SPAN_HOURS}
 * hours, so almost every event opens a new customer × 5-minute window; 5% out of order by up to 60 s,
 * 0.5% late by more than the watermark plus allowed lateness, 1% re-sent duplicates (same key and body,
 * a few hundred events later), 0.6% bad lines (not JSON, a wrong type, a missing required field).
 * </ul>
 * Both trace the {@code transactions} pipeline (10,000 customers, 10% pending, so filtered out of refined)
 * or the {@code user_events} pipeline (10,000 users, six event types).
 */
final class Traces {
    static final int SPAN_HOURS = 27;
    private static final String[] EVENT_TYPES = {"page_view", "click", "add_to_cart", "purchase", "login", "logout"};

    /** Events of one trace, plus what the trace put in it (for the report). */
    record Trace(byte[][] keys, byte[][] values, int outOfOrder, int late, int duplicates, int bad) {
        int size() {
            return keys.length;
        }
    }

    private Traces() {
    }

    /** Live traffic: event {@code i} is due at {@code start + i / rate} (all at {@code start} when rate is 0). */
    static Trace live(String table, int events, long startMillis, int rate, long seed) {
        byte[][] keys = new byte[events][];
        byte[][] values = new byte[events][];
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < events; i++) {
            long due = startMillis + (rate > 0 ? i * 1000L / rate : 0);
            String[] e = event(table, "" + i, random, Instant.ofEpochMilli(due - random.nextInt(20_000)).toString());
            keys[i] = bytes(e[0]);
            values[i] = bytes(e[1]);
        }
        return new Trace(keys, values, 0, 0, 0, 0);
    }

    /** The same events with ids (and keys) starting with {@code prefix}: a warm-up that never meets a measured trace. */
    static Trace withIdPrefix(Trace trace, String prefix) {
        byte[][] keys = new byte[trace.size()][];
        byte[][] values = new byte[trace.size()][];
        for (int i = 0; i < trace.size(); i++) {
            keys[i] = bytes(prefix + new String(trace.keys()[i], StandardCharsets.UTF_8));
            values[i] = bytes(new String(trace.values()[i], StandardCharsets.UTF_8).replaceFirst("_id\":\"", "_id\":\"" + prefix));
        }
        return new Trace(keys, values, trace.outOfOrder(), trace.late(), trace.duplicates(), trace.bad());
    }

    /** The replay trace, ending at {@code endMillis}. */
    static Trace realistic(String table, int events, long endMillis, long seed) {
        byte[][] keys = new byte[events][];
        byte[][] values = new byte[events][];
        SplittableRandom random = new SplittableRandom(seed);
        long span = SPAN_HOURS * 3_600_000L;
        int outOfOrder = 0;
        int late = 0;
        int duplicates = 0;
        int bad = 0;
        for (int i = 0; i < events; i++) {
            int dice = random.nextInt(1000);
            if (dice < 10 && i > 1000) { // 1%: a re-send of an event a few hundred events back
                int of = i - 1 - random.nextInt(500);
                keys[i] = keys[of];
                values[i] = values[of];
                duplicates++;
                continue;
            }
            long time = endMillis - span + span * i / events;
            if (dice < 60) { // 5%: out of order by up to a minute
                time -= random.nextInt(60_000);
                outOfOrder++;
            } else if (dice < 65) { // 0.5%: later than watermark (30 s) + allowed lateness (1 h)
                time -= 5_400_000L + random.nextInt(3_600_000);
                late++;
            }
            String[] e = event(table, "" + i, random, Instant.ofEpochMilli(time).toString());
            if (dice >= 65 && dice < 71) { // 0.6%: a bad line
                e[1] = broken(e[1], dice - 65);
                bad++;
            }
            keys[i] = bytes(e[0]);
            values[i] = bytes(e[1]);
        }
        return new Trace(keys, values, outOfOrder, late, duplicates, bad);
    }

    /** Three kinds of bad line, in turn: not JSON, a wrong type, a missing required field. */
    private static String broken(String json, int kind) {
        return switch (kind % 3) {
            case 0 -> json.substring(0, json.length() / 2);
            case 1 -> json.replaceFirst("\"(amount|user_id)\":[^,]*", "\"$1\":{\"oops\":true}");
            default -> json.replaceFirst("\"(customer_id|event_type)\":\"[^\"]*\",", "");
        };
    }

    private static String[] event(String table, String id, SplittableRandom random, String eventTime) {
        if (table.equals("user_events")) {
            String type = EVENT_TYPES[random.nextInt(EVENT_TYPES.length)];
            return new String[] {"e" + id, "{\"event_id\":\"e" + id + "\",\"event_type\":\"" + type + "\",\"user_id\":\"u"
                    + random.nextInt(10_000) + "\",\"event_timestamp\":\"" + eventTime + "\",\"amount\":"
                    + (type.equals("purchase") ? random.nextInt(100_000) / 100.0 : "null") + ",\"page\":\"/p/"
                    + random.nextInt(500) + "\"}"};
        }
        return new String[] {"t" + id, "{\"transaction_id\":\"t" + id + "\",\"customer_id\":\"c" + random.nextInt(10_000)
                + "\",\"amount\":" + random.nextInt(100_000) / 100.0 + ",\"currency\":\"EUR\",\"status\":\""
                + (random.nextInt(10) == 0 ? "pending" : "completed") + "\",\"region\":\"eu-west\","
                + "\"transaction_date\":\"" + eventTime + "\"}"};
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}

package io.hybridlake.stream;

import io.hybridlake.lake.Lake;
import io.hybridlake.lake.TablePath;
import io.hybridlake.lake.TableReader;
import io.hybridlake.pipeline.PipelineCatalog;
import io.hybridlake.pipeline.PipelineLoader;
import io.hybridlake.pipeline.PipelineSpec;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/** Shared helpers for core tests: the shipped pipelines, events, and table reads. */
public final class Fixtures {
    private Fixtures() {
    }

    public static PipelineSpec builtin(String name) {
        var in = Fixtures.class.getResourceAsStream("/pipelines/" + name + ".yaml");
        return PipelineLoader.load(name + ".yaml", new InputStreamReader(in, StandardCharsets.UTF_8));
    }

    public static PipelineCatalog catalog() {
        return new PipelineCatalog(List.of(builtin("transactions"), builtin("user_events")), "hybridlake.");
    }

    public static String transaction(int i, String customer, double amount, String status, String isoTime) {
        return "{\"transaction_id\":\"t-" + i + "\",\"customer_id\":\"" + customer + "\",\"amount\":" + amount
                + ",\"status\":\"" + status + "\",\"region\":\"eu\",\"transaction_date\":\"" + isoTime + "\"}";
    }

    public static SourceRecord record(long offset, String json) {
        return new SourceRecord(offset, System.currentTimeMillis(), null,
                json == null ? null : json.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    public static List<Object[]> rows(Lake lake, TablePath table) {
        List<Object[]> out = new ArrayList<>();
        if (lake.table(table).exists()) {
            new TableReader(lake.table(table)).forEachRow(OptionalLong.empty(), out::add);
        }
        return out;
    }
}

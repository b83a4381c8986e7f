package io.hybridlake.triggers;

import io.hybridlake.lake.Lake;
import io.hybridlake.lake.TableInfo;
import io.hybridlake.ops.Lineage;
import io.hybridlake.pipeline.PipelineCatalog;
import io.hybridlake.serving.TableQueries;
import io.hybridlake.triggers.FunctionRequests.TableRequest;
import io.quarkus.funqy.Funq;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;

/**
 * The lake's tables over HTTP (Funqy: POST or GET /{function}), any zone, at the latest version or as
 * of a version or time ({@code table}, {@code zone}, {@code version}, {@code asOf}, {@code limit}).
 */
public class TableFunctions {
    @Inject
    Lake lake;

    @Inject
    PipelineCatalog catalog;

    /** A table's Delta version, row count, file count, size and schema, read from its log. */
    @Funq
    public TableInfo tableInfo(TableRequest request) {
        return new TableQueries(lake).info(TableRequest.ref(request, "tableInfo"));
    }

    /** A table's rows (up to {@code limit}, default 100). */
    @Funq
    public List<Map<String, Object>> tableRows(TableRequest request) {
        return new TableQueries(lake).rows(TableRequest.ref(request, "tableRows"), request.limitOr(100));
    }

    /**
     * A table's lineage: its pipeline's data flow, its upstreams and downstreams, and its newest
     * commits ({@code limit}, default 20) with the offsets, files and upstream versions each recorded.
     */
    @Funq
    public Lineage.View lineage(TableRequest request) {
        return new Lineage(lake, catalog).of(TableQueries.path(TableRequest.ref(request, "lineage")),
                request.limitOr(20));
    }
}

package io.hybridlake.runtime;

import io.hybridlake.batch.BatchIngestor;
import io.hybridlake.lake.FileCache;
import io.hybridlake.lake.Lake;
import io.hybridlake.lake.azure.AzureLake;
import io.hybridlake.pipeline.PipelineCatalog;
import io.hybridlake.routing.RoutingRules;
import io.hybridlake.routing.WorkloadRouter;
import io.hybridlake.serving.SpeedCache;
import io.hybridlake.serving.UnifiedQuery;
import io.hybridlake.serving.sql.DuckDb;
import io.hybridlake.serving.sql.LakeSql;
import io.hybridlake.stream.Ingestor;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.nio.file.Path;

/** Serving's parts as beans: SQL over the lake, the unified query and the workload router. */
@Singleton
public class ServingParts {
    /** Bounded local copies of a remote lake's files, which DuckDB reads; none for a lake on local disk. */
    private FileCache fileCache;

    @Produces
    @Singleton
    synchronized DuckDb duckDb(Lake lake, HybridlakeConfig config) {
        SqlConfig sql = config.sql();
        DuckDb.Limits limits = new DuckDb.Limits(sql.maxRows(), sql.maxResultBytes(), sql.timeout(), sql.memoryLimit(),
                sql.threads(), sql.maxConcurrent(), sql.queueTimeout());
        String root = config.lake().root();
        if (!AzureLake.isAzure(root)) {
            return new DuckDb(Path.of(root).toAbsolutePath().normalize().toString(), limits);
        }
        fileCache = new FileCache(lake, Path.of(sql.cacheDir().orElse(System.getProperty("java.io.tmpdir"))),
                sql.cacheBytes(), 4);
        return new DuckDb(fileCache.directory(), fileCache::lease, limits);
    }

    @PreDestroy
    synchronized void closeFileCache() {
        if (fileCache != null) {
            fileCache.close();
        }
    }

    @Produces
    @Singleton
    LakeSql sql(Lake lake, PipelineCatalog catalog, DuckDb duckDb) {
        return new LakeSql(lake, catalog, duckDb);
    }

    @Produces
    @Singleton
    UnifiedQuery unifiedQuery(Lake lake, PipelineCatalog catalog, SpeedCache cache, DuckDb duckDb) {
        return new UnifiedQuery(lake, catalog, cache, duckDb, System::currentTimeMillis);
    }

    @Produces
    @Singleton
    WorkloadRouter router(HybridlakeConfig config, PipelineCatalog catalog, Ingestor ingestor, BatchIngestor batchIngestor,
            LakeSql sql, StagingDirectory staging) {
        HybridlakeConfig.Router r = config.router();
        return new WorkloadRouter(new RoutingRules(r.streamLatencyBelow(), r.batchRecordsAbove(), r.batchLatencyAtLeast(),
                r.adhocRecordsAtMost()), catalog, ingestor, batchIngestor, sql, Path.of(config.lake().root(), "landing"),
                staging.path());
    }
}

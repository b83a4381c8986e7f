package io.hybridlake.runtime;

import io.hybridlake.batch.BatchIngestor;
import io.hybridlake.batch.BatchJobs;
import io.hybridlake.batch.BatchRuns;
import io.hybridlake.batch.Compactor;
import io.hybridlake.batch.Curator;
import io.hybridlake.batch.JdbcImporter;
import io.hybridlake.batch.LandingZone;
import io.hybridlake.batch.Merger;
import io.hybridlake.batch.Vacuumer;
import io.hybridlake.lake.Lake;
import io.hybridlake.lake.azure.AzureLake;
import io.hybridlake.pipeline.PipelineCatalog;
import io.hybridlake.stream.RecordImporter;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.nio.file.Path;

/** The batch path's parts as beans: imports, MERGE, curation, compaction, vacuum and their one job runner. */
@Singleton
public class BatchParts {
    @Produces
    @Singleton
    StagingDirectory staging(HybridlakeConfig config) {
        String root = config.lake().root();
        return new StagingDirectory(AzureLake.isAzure(root)
                ? Path.of(System.getProperty("java.io.tmpdir"), "hybridlake-staging") : Path.of(root, "_staging"));
    }

    @Produces
    @Singleton
    RecordImporter recordImporter(Lake lake, PipelineCatalog catalog, HybridlakeConfig config) {
        return new RecordImporter(lake, catalog, System::currentTimeMillis, config.stream().maxEventBytes());
    }

    @Produces
    @Singleton
    BatchIngestor batchIngestor(PipelineCatalog catalog, RecordImporter importer) {
        return new BatchIngestor(catalog, importer, System::currentTimeMillis);
    }

    @Produces
    @Singleton
    JdbcImporter jdbcImporter(PipelineCatalog catalog, RecordImporter importer, HybridlakeConfig config) {
        return new JdbcImporter(catalog, PlatformParts.jdbcSources(config.jdbc()), importer, System::currentTimeMillis);
    }

    @Produces
    @Singleton
    LandingZone landingZone(Lake lake, StagingDirectory staging, BatchIngestor ingestor) {
        return new LandingZone(lake.landing(), staging.path(), ingestor);
    }

    @Produces
    @Singleton
    Merger merger(Lake lake, HybridlakeConfig config) {
        return new Merger(lake, System::currentTimeMillis, config.batch().mergeMemoryBytes());
    }

    @Produces
    @Singleton
    Curator curator(Lake lake) {
        return new Curator(lake);
    }

    @Produces
    @Singleton
    Vacuumer vacuumer(Lake lake, HybridlakeConfig config) {
        return new Vacuumer(lake, config.batch().vacuumRetention(), System::currentTimeMillis);
    }

    @Produces
    @Singleton
    Compactor compactor(Lake lake, Merger merger, HybridlakeConfig config) {
        return new Compactor(lake, merger, config.batch().smallFileBytes(), config.batch().compactMinFiles());
    }

    @Produces
    @Singleton
    BatchRuns batchRuns() {
        return new BatchRuns(System::currentTimeMillis);
    }

    /** The batch jobs (merge, curate, compact, vacuum, landing scan) with their one run policy. */
    @Produces
    @Singleton
    BatchJobs batchJobs(PipelineCatalog catalog, Merger merger, Curator curator, Compactor compactor, Vacuumer vacuumer,
            LandingZone landingZone, BatchRuns runs) {
        return new BatchJobs(catalog, merger, curator, compactor, vacuumer, landingZone, runs);
    }
}

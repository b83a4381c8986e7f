package io.hybridlake.runtime;

import io.hybridlake.HybridlakeException;
import io.hybridlake.lake.azure.AzureLake;
import io.hybridlake.lake.FileCache;
import io.hybridlake.lake.Lake;
import io.hybridlake.pipeline.PipelineCatalog;
import io.hybridlake.pipeline.PipelineSpec;
import io.hybridlake.serving.SpeedCache;
import io.hybridlake.stream.Ingestor;
import io.hybridlake.stream.Replay;
import io.hybridlake.stream.StreamMetrics;
import io.hybridlake.batch.BatchIngestor;
import io.hybridlake.batch.BatchJobs;
import io.hybridlake.batch.BatchRuns;
import io.hybridlake.batch.Compactor;
import io.hybridlake.batch.Curator;
import io.hybridlake.batch.JdbcImporter;
import io.hybridlake.batch.LandingZone;
import io.hybridlake.batch.Merger;
import io.hybridlake.batch.Vacuumer;
import io.hybridlake.routing.RoutingRules;
import io.hybridlake.routing.WorkloadRouter;
import io.hybridlake.serving.UnifiedQuery;
import io.hybridlake.serving.sql.DuckDb;
import io.hybridlake.serving.sql.LakeSql;
import io.hybridlake.stream.PipelineEvolution;
import io.hybridlake.stream.PipelineStates;
import io.hybridlake.stream.RecordImporter;
import io.hybridlake.stream.StreamPath;
import io.quarkus.runtime.Startup;
import io.smallrye.common.annotation.Identifier;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.jboss.logging.Logger;

/**
 * The local platform's parts, built once at start-up in dependency order: pipelines (a bad spec stops
 * start-up with file:line), the embedded broker and its topics, the lake, the speed cache, then the
 * core services the triggers call.
 */
@Startup
@Singleton
public class Platform {
    private static final Logger LOG = Logger.getLogger(Platform.class);

    private final PipelineCatalog catalog;
    private final EmbeddedKafka broker;
    private final Lake lake;
    private final SpeedCache cache;
    private final FileCache fileCache;
    private final StreamPath streamPath;
    private final KafkaEventSink sink;
    private final Ingestor ingestor;
    private final Admin admin;
    private final Map<String, Object> kafkaClient;
    private final Map<String, Object> kafkaConsumer;
    private final BatchIngestor batchIngestor;
    private final LandingZone landingZone;
    private final Path stagingDir;
    private final Merger merger;
    private final Compactor compactor;
    private final JdbcImporter jdbcImporter;
    private final Vacuumer vacuumer;
    private final Curator curator;
    private final LakeSql sql;
    private final UnifiedQuery unifiedQuery;
    private final WorkloadRouter router;
    private final BatchRuns batchRuns = new BatchRuns(System::currentTimeMillis);
    private final BatchJobs batchJobs;
    private final PipelineStates pipelineStates = new PipelineStates(System::currentTimeMillis);

    @Inject
    public Platform(HybridlakeConfig config, @Identifier("default-kafka-broker") Map<String, Object> kafka) {
        this.catalog = new PipelineCatalog(PlatformParts.loadPipelines(config.pipelines()), config.stream().topicPrefix());
        HybridlakeConfig.Broker b = config.broker();
        this.broker = b.embedded() ? EmbeddedKafka.start(Path.of(b.dataDir()), b.port(), b.partitions()) : null;
        Map<String, Object> client = PlatformParts.clientConfig(kafka, AdminClientConfig.configNames());
        this.kafkaClient = client;
        this.kafkaConsumer = PlatformParts.clientConfig(kafka, ConsumerConfig.configNames());
        this.admin = Admin.create(client);
        if (broker != null) {
            createTopics(b.partitions());
        }
        String root = config.lake().root();
        this.lake = AzureLake.isAzure(root)
                ? AzureLake.open(root, config.lake().connectionString(), config.lake().blobEndpoint())
                : Lake.local(Path.of(root));
        lake.checkWritable();
        PipelineEvolution evolution = new PipelineEvolution(lake, catalog);
        catalog.all().stream().toList().forEach(evolution::reconcile); // columns added earlier, YAML edits
        this.cache = PlatformParts.openCache(config.cache());
        this.streamPath = new StreamPath(lake, catalog, cache, System::currentTimeMillis, new StreamMetrics(),
                config.stream().maxEventBytes());
        this.sink = new KafkaEventSink(client);
        this.ingestor = new Ingestor(catalog, sink);
        RecordImporter importer = new RecordImporter(lake, catalog, System::currentTimeMillis, config.stream().maxEventBytes());
        this.batchIngestor = new BatchIngestor(catalog, importer, System::currentTimeMillis);
        this.jdbcImporter = new JdbcImporter(catalog, PlatformParts.jdbcSources(config.jdbc()), importer, System::currentTimeMillis);
        // Uploads and remote landing files are staged on local disk: inside a local lake (a rename never
        // crosses disks), in the temp directory for a lake on Azure Storage.
        this.stagingDir = AzureLake.isAzure(root) ? Path.of(System.getProperty("java.io.tmpdir"), "hybridlake-staging")
                : Path.of(root, "_staging");
        this.landingZone = new LandingZone(lake.landing(), stagingDir, batchIngestor);
        this.merger = new Merger(lake, System::currentTimeMillis, config.batch().mergeMemoryBytes());
        this.curator = new Curator(lake);
        this.vacuumer = new Vacuumer(lake, config.batch().vacuumRetention(), System::currentTimeMillis);
        this.compactor = new Compactor(lake, merger, config.batch().smallFileBytes(), config.batch().compactMinFiles());
        this.batchJobs = new BatchJobs(catalog, merger, curator, compactor, vacuumer, landingZone, batchRuns);
        SqlConfig sqlConfig = config.sql();
        DuckDb.Limits sqlLimits = new DuckDb.Limits(sqlConfig.maxRows(), sqlConfig.maxResultBytes(), sqlConfig.timeout(),
                sqlConfig.memoryLimit(), sqlConfig.threads(), sqlConfig.maxConcurrent(), sqlConfig.queueTimeout());
        // SQL reads a lake on Azure Storage from bounded local copies of the snapshot's files
        this.fileCache = AzureLake.isAzure(root) ? new FileCache(lake, Path.of(sqlConfig.cacheDir()
                .orElse(System.getProperty("java.io.tmpdir"))), sqlConfig.cacheBytes(), 4) : null;
        DuckDb duckDb = fileCache != null ? new DuckDb(fileCache.directory(), fileCache::lease, sqlLimits)
                : new DuckDb(Path.of(root).toAbsolutePath().normalize().toString(), sqlLimits);
        this.sql = new LakeSql(lake, catalog, duckDb);
        this.unifiedQuery = new UnifiedQuery(lake, catalog, cache, duckDb, System::currentTimeMillis);
        HybridlakeConfig.Router r = config.router();
        this.router = new WorkloadRouter(new RoutingRules(r.streamLatencyBelow(), r.batchRecordsAbove(),
                r.batchLatencyAtLeast(), r.adhocRecordsAtMost()), catalog, ingestor, batchIngestor, sql,
                Path.of(config.lake().root(), "landing"), stagingDir);
        LOG.infof("Hybridlake ready: pipelines %s, lake %s", catalog.all().stream().map(PipelineSpec::table).toList(),
                lake.root());
    }

    /** Kafka consumer settings from the {@code kafka.*} configuration, for the stream triggers. */
    public Map<String, Object> kafkaConsumerConfig() {
        return Map.copyOf(kafkaConsumer);
    }

    private void createTopics(int partitions) {
        try {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing = catalog.all().stream().map(catalog::topicOf).filter(t -> !existing.contains(t))
                    .map(t -> new NewTopic(t, partitions, (short) 1)).toList();
            if (!missing.isEmpty()) {
                admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            throw new HybridlakeException("hybridlake.broker", "cannot create the pipeline topics: " + e.getMessage(), e);
        }
    }

    public LakeSql sql() {
        return sql;
    }

    /** How each pipeline's stream consumer is doing on this instance (health, readiness, the API). */
    public PipelineStates pipelineStates() {
        return pipelineStates;
    }

    /** The batch jobs (merge, compact, vacuum, landing scan, curate) with their one run policy. */
    public BatchJobs batchJobs() {
        return batchJobs;
    }

    public BatchRuns batchRuns() {
        return batchRuns;
    }

    public WorkloadRouter router() {
        return router;
    }

    public UnifiedQuery unifiedQuery() {
        return unifiedQuery;
    }

    /**
     * Reprocesses {@code table}'s stream output from {@code fromOffset} on, in one partition or (null)
     * in every partition of its topic: see {@link io.hybridlake.stream.Replay}.
     */
    public Replay.Result replay(String table, long fromOffset, Integer partition) {
        String topic = catalog.topicOf(catalog.table(table));
        try (BrokerRecords records = new BrokerRecords(kafkaClient)) {
            List<Integer> partitions = partition != null ? List.of(partition) : records.partitions(topic);
            Map<Integer, Long> from = new TreeMap<>();
            partitions.forEach(p -> from.put(p, fromOffset));
            return streamPath.replay(table, from, records);
        }
    }

    public PipelineCatalog catalog() {
        return catalog;
    }

    public Lake lake() {
        return lake;
    }

    public SpeedCache cache() {
        return cache;
    }

    public StreamPath streamPath() {
        return streamPath;
    }

    public StreamMetrics metrics() {
        return streamPath.metrics();
    }

    public BatchIngestor batchIngestor() {
        return batchIngestor;
    }

    public Curator curator() {
        return curator;
    }

    public Vacuumer vacuumer() {
        return vacuumer;
    }

    public JdbcImporter jdbcImporter() {
        return jdbcImporter;
    }

    public Compactor compactor() {
        return compactor;
    }

    public Merger merger() {
        return merger;
    }

    public LandingZone landingZone() {
        return landingZone;
    }

    /** Where HTTP uploads are staged before import (inside the lake, so a rename never crosses disks). */
    public Path stagingDir() {
        return stagingDir;
    }

    public Ingestor ingestor() {
        return ingestor;
    }

    public Admin admin() {
        return admin;
    }

    @PreDestroy
    void stop() {
        sink.close();
        admin.close();
        lake.close();
        if (fileCache != null) {
            fileCache.close();
        }
        cache.close();
        if (broker != null) {
            broker.close();
        }
    }
}

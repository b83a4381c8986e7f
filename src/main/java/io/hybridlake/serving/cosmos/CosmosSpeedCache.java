package io.hybridlake.serving.cosmos;

import com.azure.cosmos.ConsistencyLevel;
import com.azure.cosmos.CosmosAsyncClient;
import com.azure.cosmos.CosmosAsyncContainer;
import com.azure.cosmos.CosmosClientBuilder;
import com.azure.cosmos.CosmosException;
import com.azure.cosmos.ThrottlingRetryOptions;
import com.azure.cosmos.models.CosmosBulkOperationResponse;
import com.azure.cosmos.models.CosmosBulkOperations;
import com.azure.cosmos.models.CosmosBulkPatchItemRequestOptions;
import com.azure.cosmos.models.CosmosContainerProperties;
import com.azure.cosmos.models.CosmosItemOperation;
import com.azure.cosmos.models.CosmosPatchOperations;
import com.azure.cosmos.models.CosmosQueryRequestOptions;
import com.azure.cosmos.models.PartitionKey;
import com.azure.cosmos.models.SqlParameter;
import com.azure.cosmos.models.SqlQuerySpec;
import com.azure.identity.DefaultAzureCredentialBuilder;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hybridlake.HybridlakeException;
import io.hybridlake.serving.SpeedCache;
import io.hybridlake.serving.WindowId;
import io.hybridlake.serving.WindowState;
import io.hybridlake.serving.WindowStateCodec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The speed cache on Azure Cosmos DB (SQL API). One document per window: partition key
 * {@code table|window|groupKey}, the unit of the access pattern (a key's windows are one logical
 * partition, so a point lookup is a single-partition query and writes spread over keys). Updates are
 * optimistic and sent in bulk: a new window is a create (409 = someone else created it), an existing one a
 * patch whose filter predicate requires the version read — both refused on conflict, which the core answers by
 * re-reading and re-applying (idempotent thanks to the per-source high-water offsets in the state).
 * De-duplication claims are documents created only if absent. Old windows and claims expire by
 * per-item TTL. Throttling (429) is retried by the SDK for up to {@code maxThrottleWait}.
 */
public final class CosmosSpeedCache implements SpeedCache {
    private static final int CONCURRENCY = 32;
    private static final char SEP = '\u0000';
    private final CosmosAsyncClient client;
    private final CosmosAsyncContainer container;
    private final int windowTtlSeconds;
    private final int claimTtlSeconds;

    /** Where and how: endpoint, key (empty: managed identity), database, container, TTLs. */
    public record Settings(String endpoint, Optional<String> key, String database, String container,
            Duration windowTtl, Duration claimTtl, Duration maxThrottleWait, boolean gatewayMode) {
    }

    public CosmosSpeedCache(Settings s) {
        CosmosClientBuilder builder = new CosmosClientBuilder().endpoint(s.endpoint())
                .consistencyLevel(ConsistencyLevel.SESSION)
                .throttlingRetryOptions(new ThrottlingRetryOptions().setMaxRetryAttemptsOnThrottledRequests(20)
                        .setMaxRetryWaitTime(s.maxThrottleWait()))
                .contentResponseOnWriteEnabled(false);
        if (s.key().isPresent()) {
            builder.key(s.key().get());
        } else {
            builder.credential(new DefaultAzureCredentialBuilder().build());
        }
        this.client = (s.gatewayMode() ? builder.gatewayMode() : builder.directMode()).buildAsyncClient();
        this.container = client.getDatabase(s.database()).getContainer(s.container());
        this.windowTtlSeconds = (int) s.windowTtl().toSeconds();
        this.claimTtlSeconds = (int) s.claimTtl().toSeconds();
    }

    /**
     * Creates the database and container if absent (partition key {@code /pk}, per-item TTL on):
     * for local and test accounts; on Azure the Bicep creates them and the identity may not have rights to.
     */
    public void createIfAbsent() {
        client.createDatabaseIfNotExists(container.getDatabase().getId()).block();
        CosmosContainerProperties properties =
                new CosmosContainerProperties(container.getId(), "/pk");
        properties.setDefaultTimeToLiveInSeconds(-1); // items carry their own ttl
        container.getDatabase().createContainerIfNotExists(properties).block();
    }

    static String partitionKey(String table, String window, String groupKey) {
        return table + "|" + window + "|" + groupKey;
    }

    /** Document ids may not hold '/', '\', '?', '#' (keys may): URL-safe base64 of the window id. */
    static String documentId(String raw) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    private static String documentId(WindowId id) {
        return documentId(id.asString());
    }

    private static PartitionKey partitionOf(WindowId id) {
        return new PartitionKey(partitionKey(id.table(), id.window(), id.groupKey()));
    }

    @Override
    public List<WindowState> getAll(List<WindowId> ids) {
        Map<WindowId, WindowState> byId = new HashMap<>();
        List<Map.Entry<WindowId, WindowState>> found = Flux.fromIterable(ids)
                .flatMap(id -> container.readItem(documentId(id), partitionOf(id), ObjectNode.class)
                        .map(r -> Map.entry(id, decode(id, r.getItem())))
                        .onErrorResume(CosmosException.class, e -> e.getStatusCode() == 404 ? Mono.empty() : Mono.error(
                                failure("read window " + id.window() + " of key '" + id.groupKey() + "'", id.table(), e))),
                        CONCURRENCY)
                .collectList().block();
        found.forEach(e -> byId.put(e.getKey(), e.getValue()));
        List<WindowState> out = new ArrayList<>(ids.size());
        for (WindowId id : ids) {
            WindowState stored = byId.get(id);
            out.add(stored != null ? stored : new WindowState(id));
        }
        return out;
    }

    private static WindowState decode(WindowId id, ObjectNode doc) {
        return WindowStateCodec.decode(id, Base64.getDecoder().decode(doc.get("state").asText()));
    }

    /** All windows in one bulk execution (the SDK groups them per partition and retries throttling). */
    @Override
    public void putAll(List<WindowState> states) {
        List<CosmosItemOperation> operations = new ArrayList<>(states.size());
        for (WindowState s : states) {
            operations.add(operation(s, s.storedVersion()));
        }
        WindowId conflict = null;
        for (CosmosBulkOperationResponse<WindowId> r : container.<WindowId>executeBulkOperations(Flux.fromIterable(operations))
                .collectList().block()) {
            WindowId id = r.getOperation().getContext();
            int code = status(r);
            if (code == 409 || code == 412 || code == 404) { // created, changed or removed meanwhile
                conflict = id;
            } else if (code >= 300) {
                throw new HybridlakeException(id.table(), "cannot write window " + id.window() + " of key '"
                        + id.groupKey() + "' of table " + id.table() + " in Cosmos DB: HTTP " + code
                        + (r.getException() == null ? "" : " " + r.getException().getMessage()), r.getException());
            }
        }
        if (conflict != null) {
            throw new ConflictException(conflict);
        }
    }

    /** A new window is a create (409 if it exists); an update a patch that requires the version read (412 else). */
    private CosmosItemOperation operation(WindowState s, long expected) {
        WindowId id = s.id();
        String state = Base64.getEncoder().encodeToString(WindowStateCodec.encode(s));
        if (expected == 0) {
            ObjectNode doc = JsonNodeFactory.instance.objectNode();
            doc.put("id", documentId(id));
            doc.put("pk", partitionKey(id.table(), id.window(), id.groupKey()));
            doc.put("kind", "window");
            doc.put("table", id.table());
            doc.put("window", id.window());
            doc.put("groupKey", id.groupKey());
            doc.put("windowStart", id.windowStart());
            doc.put("version", s.version());
            doc.put("state", state);
            doc.put("ttl", windowTtlSeconds);
            return CosmosBulkOperations.getCreateItemOperation(doc, partitionOf(id), id);
        }
        CosmosBulkPatchItemRequestOptions options = new CosmosBulkPatchItemRequestOptions();
        options.setFilterPredicate("FROM c WHERE c.version = " + expected);
        return CosmosBulkOperations.getPatchItemOperation(documentId(id), partitionOf(id), CosmosPatchOperations.create()
                .set("/version", s.version()).set("/state", state), options, id);
    }

    private static int status(CosmosBulkOperationResponse<?> r) {
        if (r.getResponse() != null) {
            return r.getResponse().getStatusCode();
        }
        return r.getException() instanceof CosmosException e ? e.getStatusCode() : 500;
    }

    /** Claims are documents created only if absent, in one bulk execution; a 409 reads the earlier claimant. */
    @Override
    public List<String> claim(String table, List<Claim> claims) {
        List<CosmosItemOperation> operations = new ArrayList<>(claims.size());
        List<String> ids = new ArrayList<>(claims.size());
        for (int i = 0; i < claims.size(); i++) {
            Claim c = claims.get(i);
            String id = documentId("claim" + SEP + table + SEP + c.id() + SEP + c.eventTimeMicros());
            ids.add(id);
            ObjectNode doc = JsonNodeFactory.instance.objectNode();
            doc.put("id", id);
            doc.put("pk", id);
            doc.put("kind", "claim");
            doc.put("table", table);
            doc.put("eventTime", c.eventTimeMicros());
            doc.put("token", c.token());
            doc.put("ttl", claimTtlSeconds);
            operations.add(CosmosBulkOperations.getCreateItemOperation(doc, new PartitionKey(id), i));
        }
        String[] winners = new String[claims.size()];
        List<Integer> taken = new ArrayList<>();
        for (CosmosBulkOperationResponse<Integer> r : container.<Integer>executeBulkOperations(Flux.fromIterable(operations))
                .collectList().block()) {
            int i = r.getOperation().getContext();
            int code = status(r);
            if (code == 409) {
                taken.add(i);
            } else if (code >= 300) {
                throw new HybridlakeException(table, "cannot claim event '" + claims.get(i).id() + "' of table " + table
                        + " in Cosmos DB: HTTP " + code, r.getException());
            } else {
                winners[i] = claims.get(i).token();
            }
        }
        Flux.fromIterable(taken).flatMap(i -> {
            String id = ids.get(i);
            return container.readItem(id, new PartitionKey(id), ObjectNode.class)
                    .doOnNext(r -> winners[i] = r.getItem().get("token").asText());
        }, CONCURRENCY).blockLast();
        return List.of(winners);
    }

    @Override
    public int expireClaims(String table, long eventTimeMicros) {
        return deleteWhere("c.kind = 'claim' AND c.table = @table AND c.eventTime < @before",
                List.of(new SqlParameter("@table", table), new SqlParameter("@before", eventTimeMicros)), table);
    }

    @Override
    public int removeWindows(String table) {
        return deleteWhere("c.kind = 'window' AND c.table = @table", List.of(new SqlParameter("@table", table)), table);
    }

    private int deleteWhere(String where, List<SqlParameter> params, String table) {
        List<ObjectNode> doomed = query("SELECT c.id, c.pk FROM c WHERE " + where, params, table);
        return Flux.fromIterable(doomed).flatMap(d -> container.deleteItem(d.get("id").asText(),
                new PartitionKey(d.get("pk").asText())).thenReturn(1)
                .onErrorResume(CosmosException.class, e -> e.getStatusCode() == 404 ? Mono.just(0) : Mono.error(e)),
                CONCURRENCY).reduce(0, Integer::sum).block();
    }

    @Override
    public List<WindowState> windowsOf(String table, String window, String groupKey, long fromStart, long toStart,
            int limit) {
        // the filter on pk lets the query plan route this to the key's one partition
        List<ObjectNode> docs = query("SELECT * FROM c WHERE c.pk = @pk AND c.kind = 'window' AND c.windowStart >= @from"
                + " AND c.windowStart < @to", List.of(new SqlParameter("@pk", partitionKey(table, window, groupKey)),
                new SqlParameter("@from", fromStart), new SqlParameter("@to", toStart)), table);
        List<WindowState> out = new ArrayList<>();
        for (ObjectNode d : docs) {
            out.add(decode(new WindowId(table, window, groupKey, d.get("windowStart").asLong()), d));
        }
        out.sort(Comparator.comparingLong(s -> s.id().windowStart()));
        return out.size() > limit ? out.subList(0, limit) : out;
    }

    private List<ObjectNode> query(String sql, List<SqlParameter> params, String table) {
        try {
            return container.queryItems(new SqlQuerySpec(sql, params), new CosmosQueryRequestOptions(), ObjectNode.class)
                    .collectList().block();
        } catch (CosmosException e) {
            throw failure("query the speed cache", table, e);
        }
    }

    @Override
    public void checkHealthy() {
        try {
            container.read().block(Duration.ofSeconds(10));
        } catch (RuntimeException e) {
            throw new HybridlakeException(container.getId(), "the Cosmos DB speed cache (container " + container.getId()
                    + ") is not reachable: " + e.getMessage(), e);
        }
    }

    private static HybridlakeException failure(String what, String table, CosmosException e) {
        return new HybridlakeException(table, "cannot " + what + " of table " + table + " in Cosmos DB: HTTP "
                + e.getStatusCode() + " " + e.getShortMessage(), e);
    }

    @Override
    public void close() {
        client.close();
    }
}

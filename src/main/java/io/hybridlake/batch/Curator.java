package io.hybridlake.batch;

import io.hybridlake.lake.Column;
import io.hybridlake.lake.ColumnType;
import io.hybridlake.lake.CommitLineage;
import io.hybridlake.lake.DataFile;
import io.hybridlake.lake.Lake;
import io.hybridlake.lake.LakeTable;
import io.hybridlake.lake.RowBatch;
import io.hybridlake.lake.TableFiles;
import io.hybridlake.lake.TablePath;
import io.hybridlake.lake.TableReader;
import io.hybridlake.lake.TableSchema;
import io.hybridlake.pipeline.AggregateFunction;
import io.hybridlake.pipeline.AggregateSpec;
import io.hybridlake.pipeline.CuratedSpec;
import io.hybridlake.pipeline.PipelineSpec;
import io.hybridlake.pipeline.RowRules;
import io.hybridlake.pipeline.ZoneSchemas;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Maintains a pipeline's curated aggregates ({@code curated/warehouse/<name>}) from its unified table,
 * incrementally: the partitions whose files changed in refined/merged since the version the curated
 * table last consumed are recomputed from the merged rows of those partitions (tombstones skipped),
 * and their curated files replaced, in one commit that records the merged version consumed. A run
 * with nothing new commits nothing; a pipeline without partitions recomputes everything.
 */
public final class Curator {
    private final Lake lake;
    private final Map<String, ReentrantLock> locks = new ConcurrentHashMap<>();

    /** One curated table's run: partitions recomputed, rows written, version (-1: nothing to do). */
    public record Result(String table, int partitionsRecomputed, long rows, long version) {
    }

    public Curator(Lake lake) {
        this.lake = lake;
    }

    public List<Result> curate(PipelineSpec spec) {
        List<Result> out = new ArrayList<>();
        for (CuratedSpec c : spec.curated()) {
            ReentrantLock lock = locks.computeIfAbsent(c.name(), n -> new ReentrantLock());
            lock.lock();
            try {
                out.add(curate(spec, c));
            } finally {
                lock.unlock();
            }
        }
        return out;
    }

    /** The curated table's schema: the group_by columns (typed as in the pipeline), then the aggregates. */
    static TableSchema schema(PipelineSpec spec, RowRules rules, CuratedSpec c) {
        List<Column> columns = new ArrayList<>();
        for (String g : c.groupBy()) {
            columns.add(Column.optional(g, rules.columnType(rules.columnIndex(g))));
        }
        for (AggregateSpec a : c.aggregates()) {
            columns.add(a.fn() == AggregateFunction.COUNT ? Column.required(a.as(), ColumnType.LONG)
                    : Column.optional(a.as(), ColumnType.DOUBLE));
        }
        return new TableSchema(columns, spec.partitionBy().isEmpty() ? List.of() : List.of(spec.partitionBy().get(0)));
    }

    private Result curate(PipelineSpec spec, CuratedSpec c) {
        RowRules rules = new RowRules(spec);
        TableSchema schema = schema(spec, rules, c);
        LakeTable merged = lake.table(TablePath.merged(spec.table()));
        LakeTable target = lake.table(TablePath.of("curated/warehouse", c.name()));
        String consumerId = "hybridlake-curate:" + TablePath.merged(spec.table()).relative();
        long latest = merged.latestVersion();
        long targetVersion = target.latestVersionCreatingIfAbsent(schema);
        long consumed = target.lastTransactionVersion(consumerId);
        if (latest < 0 || latest <= consumed) {
            return new Result(target.name(), 0, 0, -1);
        }
        TableReader mergedReader = new TableReader(merged);
        TableFiles mergedFiles = new TableFiles(merged);
        List<DataFile> now = mergedFiles.files(latest);
        Set<Map<String, String>> changed = changedPartitions(now, consumed < 0 ? List.of() : mergedFiles.files(consumed), schema);
        Set<String> sourceFiles = new HashSet<>();
        for (DataFile f : now) {
            if (changed.contains(partitionKey(f, schema))) {
                sourceFiles.add(f.path());
            }
        }
        Set<String> replaced = new HashSet<>();
        for (DataFile f : new TableFiles(target).files(targetVersion)) {
            if (changed.contains(partitionKey(f, schema))) {
                replaced.add(f.path());
            }
        }
        RowBatch rows = aggregate(spec, rules, c, schema, mergedReader, latest, sourceFiles);
        long version = CommitLineage.during(Map.of(CommitLineage.JOB, "curate", CommitLineage.PIPELINE, spec.table(),
                CommitLineage.UPSTREAM, TablePath.merged(spec.table()) + "@" + latest),
                () -> target.rewrite(schema, targetVersion, replaced, rows, Map.of(consumerId, latest)).version());
        return new Result(target.name(), changed.size(), rows.size(), version);
    }

    /**
     * Partition values (restricted to the curated table's partition column) of files added, removed or
     * given a new deletion vector (a merge-on-read update changes a file's rows without a new path).
     */
    private static Set<Map<String, String>> changedPartitions(List<DataFile> now, List<DataFile> before,
            TableSchema curated) {
        Set<String> beforePaths = new HashSet<>();
        before.forEach(f -> beforePaths.add(f.identity()));
        Set<String> nowPaths = new HashSet<>();
        now.forEach(f -> nowPaths.add(f.identity()));
        Set<Map<String, String>> changed = new HashSet<>();
        for (DataFile f : now) {
            if (!beforePaths.contains(f.identity())) {
                changed.add(partitionKey(f, curated));
            }
        }
        for (DataFile f : before) {
            if (!nowPaths.contains(f.identity())) {
                changed.add(partitionKey(f, curated));
            }
        }
        return changed;
    }

    private static Map<String, String> partitionKey(DataFile f, TableSchema curated) {
        Map<String, String> key = new HashMap<>();
        for (String p : curated.partitionColumns()) {
            key.put(p, f.partitionValues().get(p));
        }
        return key;
    }

    private static RowBatch aggregate(PipelineSpec spec, RowRules rules, CuratedSpec c, TableSchema schema,
            TableReader merged, long version, Set<String> files) {
        int[] group = c.groupBy().stream().mapToInt(rules::columnIndex).toArray();
        int[] columns = c.aggregates().stream().mapToInt(a -> a.column() == null ? -1 : rules.columnIndex(a.column()))
                .toArray();
        int deleted = ZoneSchemas.merged(rules).size() - 1;
        Map<List<Object>, double[]> sums = new LinkedHashMap<>(); // per aggregate: value, count of values
        merged.forEachRowIn(version, files, (path, row) -> {
            if (Boolean.TRUE.equals(row[deleted])) {
                return;
            }
            Object[] key = new Object[group.length];
            for (int i = 0; i < group.length; i++) {
                key[i] = row[group[i]];
            }
            double[] acc = sums.computeIfAbsent(Arrays.asList(key), k -> new double[2 * columns.length]);
            for (int a = 0; a < columns.length; a++) {
                AggregateFunction fn = c.aggregates().get(a).fn();
                Object v = columns[a] < 0 ? null : row[columns[a]];
                if (fn == AggregateFunction.COUNT) {
                    acc[2 * a + 1]++;
                } else if (v != null) {
                    double x = ((Number) v).doubleValue();
                    boolean first = acc[2 * a + 1] == 0;
                    acc[2 * a] = switch (fn) {
                        case MIN -> first ? x : Math.min(acc[2 * a], x);
                        case MAX -> first ? x : Math.max(acc[2 * a], x);
                        default -> acc[2 * a] + x;
                    };
                    acc[2 * a + 1]++;
                }
            }
        });
        RowBatch out = new RowBatch(schema, Math.max(1, sums.size()));
        for (Map.Entry<List<Object>, double[]> e : sums.entrySet()) {
            for (int i = 0; i < group.length; i++) {
                out.set(i, e.getKey().get(i));
            }
            double[] acc = e.getValue();
            for (int a = 0; a < columns.length; a++) {
                AggregateFunction fn = c.aggregates().get(a).fn();
                long n = (long) acc[2 * a + 1];
                Object value = switch (fn) {
                    case COUNT -> n;
                    case AVG -> n == 0 ? null : acc[2 * a] / n;
                    case SUM -> acc[2 * a];
                    default -> n == 0 ? null : acc[2 * a];
                };
                out.set(group.length + a, value);
            }
            out.endRow();
        }
        return out;
    }
}

package io.hybridlake.ops;

import io.hybridlake.HybridlakeException;
import io.hybridlake.lake.CommitHistory;
import io.hybridlake.lake.Lake;
import io.hybridlake.lake.TablePath;
import io.hybridlake.pipeline.CuratedSpec;
import io.hybridlake.pipeline.PipelineCatalog;
import io.hybridlake.pipeline.PipelineSpec;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Where a table's data comes from and where it goes: the pipeline's data-flow graph (which jobs move
 * data between which sources, tables and the speed cache), the table's upstreams and downstreams in
 * it, and its newest commits with the lineage each recorded (offsets, files, upstream versions, code).
 */
public final class Lineage {
    /** Data moves from {@code from} to {@code to} by {@code job}. */
    public record Edge(String from, String to, String job) {
    }

    /** A source, table or cache; {@code version} is a table's latest version (-1: not created yet, null: not a table). */
    public record Node(String name, String kind, Long version) {
    }

    public record View(String table, String pipeline, List<Node> upstream, List<Node> downstream, List<Edge> edges,
            List<CommitHistory.Commit> commits) {
    }

    /** The most commits one answer lists. */
    public static final int MAX_COMMITS = 1000;

    private final Lake lake;
    private final PipelineCatalog catalog;

    public Lineage(Lake lake, PipelineCatalog catalog) {
        this.lake = lake;
        this.catalog = catalog;
    }

    /** The lineage of {@code table} with its newest {@code commits} (1..{@value #MAX_COMMITS}) commits. */
    public View of(TablePath table, int commits) {
        String name = table.relative();
        if (commits < 1 || commits > MAX_COMMITS) {
            throw new HybridlakeException.BadRequest(name, "limit must be 1.." + MAX_COMMITS + ", not " + commits);
        }
        for (PipelineSpec spec : catalog.all()) {
            List<Edge> edges = edges(spec);
            if (edges.stream().anyMatch(e -> e.to().equals(name) || e.from().equals(name))) {
                return new View(name, spec.table(), walk(name, edges, Edge::to, Edge::from),
                        walk(name, edges, Edge::from, Edge::to), edges, lake.table(table).history(commits));
            }
        }
        throw new HybridlakeException.NotFound(name, "table " + name + " belongs to no pipeline; pipelines: "
                + catalog.all().stream().map(PipelineSpec::table).toList());
    }

    /** The pipeline's data flow, as the stream and batch paths, the merge and the curation run it. */
    public List<Edge> edges(PipelineSpec spec) {
        String t = spec.table();
        String topic = "topic:" + catalog.topicOf(spec);
        String landing = "landing:" + t;
        String merged = TablePath.merged(t).relative();
        List<Edge> out = new ArrayList<>(List.of(
                new Edge(topic, TablePath.rawStream(t).relative(), "stream"),
                new Edge(topic, TablePath.refinedStream(t).relative(), "stream"),
                new Edge(topic, TablePath.late(t).relative(), "stream"),
                new Edge(topic, TablePath.rejected(t).relative(), "stream"),
                new Edge(topic, "cache:" + t, "stream"),
                new Edge(landing, TablePath.rawBatch(t).relative(), "import"),
                new Edge(landing, TablePath.refinedBatch(t).relative(), "import"),
                new Edge(landing, TablePath.rejected(t).relative(), "import"),
                new Edge(TablePath.refinedStream(t).relative(), merged, "merge"),
                new Edge(TablePath.refinedBatch(t).relative(), merged, "merge")));
        for (CuratedSpec c : spec.curated()) {
            out.add(new Edge(merged, TablePath.of("curated/warehouse", c.name()).relative(), "curate"));
        }
        return out;
    }

    /** Every node reachable from {@code start} against (upstream) or along (downstream) the edges, nearest first. */
    private List<Node> walk(String start, List<Edge> edges, Function<Edge, String> here, Function<Edge, String> next) {
        Set<String> seen = new LinkedHashSet<>();
        Deque<String> queue = new ArrayDeque<>(List.of(start));
        while (!queue.isEmpty()) {
            String at = queue.poll();
            for (Edge e : edges) {
                if (here.apply(e).equals(at) && seen.add(next.apply(e))) {
                    queue.add(next.apply(e));
                }
            }
        }
        return seen.stream().map(this::node).toList();
    }

    private Node node(String name) {
        int colon = name.indexOf(':');
        if (colon > 0) {
            return new Node(name, name.substring(0, colon), null);
        }
        return new Node(name, "table", lake.table(new TablePath(name)).latestVersion());
    }
}

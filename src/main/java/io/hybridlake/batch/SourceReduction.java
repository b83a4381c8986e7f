package io.hybridlake.batch;

import io.hybridlake.HybridlakeException;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.function.Consumer;

/**
 * The per-key reduction of a merge's source rows (the latest version of each key wins) in bounded
 * memory: rows are reduced in a hash map until its estimated size passes the budget, then the map is
 * written to disk as a run sorted by key and emptied; at the end the runs are merged by key (reducing
 * again across runs) and handed on in chunks that each fit the budget. Without a spill it is one
 * in-memory map, as before. Spill files live in the JVM's temp directory and are deleted when done.
 */
final class SourceReduction implements AutoCloseable {
    private final MergeOrder order;
    private final long budgetBytes;
    private final String table;
    private Map<String, Object[]> winners = new HashMap<>();
    private long estimatedBytes;
    private final List<Path> runs = new ArrayList<>();
    private long spilledRows;

    SourceReduction(MergeOrder order, long budgetBytes, String table) {
        this.order = order;
        this.budgetBytes = budgetBytes;
        this.table = table;
    }

    void add(Object[] change) {
        String key = order.key(change);
        Object[] previous = winners.get(key);
        if (previous == null) {
            winners.put(key, change);
            estimatedBytes += 64 + 2L * key.length() + SpillRows.estimate(change);
            if (estimatedBytes > budgetBytes) {
                spill();
            }
        } else if (order.compare(change, previous) > 0) {
            winners.put(key, change);
        }
    }

    /** Rows written to spill runs so far (0: everything stayed in memory). */
    long spilledRows() {
        return spilledRows;
    }

    boolean isEmpty() {
        return winners.isEmpty() && runs.isEmpty();
    }

    /** Hands on the winners: all at once without a spill, else in key order, one budget-sized chunk at a time. */
    void forEachChunk(Consumer<Map<String, Object[]>> work) {
        if (runs.isEmpty()) {
            work.accept(winners);
            return;
        }
        if (!winners.isEmpty()) {
            spill();
        }
        mergeRuns(work);
    }

    private void spill() {
        List<Map.Entry<String, Object[]>> sorted = new ArrayList<>(winners.entrySet());
        sorted.sort(Map.Entry.comparingByKey());
        try {
            Path run = Files.createTempFile("hybridlake-merge-" + table.replaceAll("[^A-Za-z0-9_-]", "_") + "-", ".run");
            runs.add(run);
            try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(run), 1 << 16))) {
                for (Map.Entry<String, Object[]> e : sorted) {
                    SpillRows.write(out, e.getValue());
                }
            }
        } catch (IOException e) {
            throw new HybridlakeException(table, "the merge of table " + table + " could not spill its source rows to "
                    + "the temp directory (" + System.getProperty("java.io.tmpdir") + "): " + e.getMessage());
        }
        spilledRows += sorted.size();
        winners = new HashMap<>();
        estimatedBytes = 0;
    }

    /** One open run: its next row and key. */
    private final class Run {
        final DataInputStream in;
        Object[] row;
        String key;

        Run(Path file) throws IOException {
            in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16));
            advance();
        }

        void advance() throws IOException {
            try {
                row = SpillRows.read(in);
                key = order.key(row);
            } catch (EOFException end) {
                row = null;
                key = null;
                in.close();
            }
        }
    }

    private void mergeRuns(Consumer<Map<String, Object[]>> work) {
        PriorityQueue<Run> heads = new PriorityQueue<>((a, b) -> a.key.compareTo(b.key));
        try {
            for (Path file : runs) {
                Run run = new Run(file);
                if (run.row != null) {
                    heads.add(run);
                }
            }
            Map<String, Object[]> chunk = new HashMap<>();
            long bytes = 0;
            while (!heads.isEmpty()) {
                Run first = heads.poll();
                String key = first.key;
                Object[] winner = first.row;
                next(first, heads);
                while (!heads.isEmpty() && heads.peek().key.equals(key)) { // the same key in other runs
                    Run other = heads.poll();
                    if (order.compare(other.row, winner) > 0) {
                        winner = other.row;
                    }
                    next(other, heads);
                }
                chunk.put(key, winner);
                bytes += 64 + 2L * key.length() + SpillRows.estimate(winner);
                if (bytes > budgetBytes) {
                    work.accept(chunk);
                    chunk = new HashMap<>();
                    bytes = 0;
                }
            }
            if (!chunk.isEmpty()) {
                work.accept(chunk);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading back the spilled source rows of the merge of table " + table, e);
        } finally {
            for (Run r : heads) {
                try {
                    r.in.close();
                } catch (IOException ignored) {
                    // the file is deleted next
                }
            }
        }
    }

    private static void next(Run run, PriorityQueue<Run> heads) throws IOException {
        run.advance();
        if (run.row != null) {
            heads.add(run);
        }
    }

    @Override
    public void close() {
        for (Path run : runs) {
            try {
                Files.deleteIfExists(run);
            } catch (IOException e) {
                System.getLogger(SourceReduction.class.getName()).log(System.Logger.Level.WARNING,
                        "could not delete merge spill file " + run + ": " + e.getMessage());
            }
        }
        runs.clear();
    }
}

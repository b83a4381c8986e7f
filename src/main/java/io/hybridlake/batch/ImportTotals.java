package io.hybridlake.batch;

import io.hybridlake.stream.BatchOutcome;

/** Running counts of an import's chunks, and whether any chunk was new (else it was imported before). */
final class ImportTotals {
    long records;
    long refined;
    long filtered;
    long rejected;
    boolean wroteSomething;

    void add(BatchOutcome o) {
        records += o.received();
        refined += o.refined();
        filtered += o.filtered();
        rejected += o.rejected();
        wroteSomething |= !o.replaySkipped();
    }

    BatchIngestor.Result result(String table, String name, String source, boolean importedBefore) {
        return new BatchIngestor.Result(table, name, source, records, refined, filtered, rejected,
                importedBefore && !wroteSomething);
    }
}

package io.hybridlake.lake;

import io.delta.kernel.Snapshot;
import io.delta.kernel.data.FilteredColumnarBatch;
import io.delta.kernel.data.Row;
import io.delta.kernel.internal.InternalScanFileUtils;
import io.delta.kernel.internal.actions.AddFile;
import io.delta.kernel.internal.actions.DeletionVectorDescriptor;
import io.delta.kernel.internal.actions.SingleAction;
import io.delta.kernel.internal.data.GenericRow;
import io.delta.kernel.types.StructField;
import io.delta.kernel.utils.CloseableIterator;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.roaringbitmap.RoaringBitmap;

/**
 * The log actions that give files of a snapshot more deleted rows: the file's old {@code add} (with
 * its old vector, if any) removed and the same file added again with the union of old and new
 * positions, in one commit — as the Delta protocol requires. Statistics are kept but marked loose
 * ({@code tightBounds: false}): min/max still bound the remaining rows, {@code numRecords} still
 * counts the physical rows.
 */
final class DeletionVectorUpdates {
    private DeletionVectorUpdates() {
    }

    static List<Row> actions(LakeTable table, Snapshot snapshot, Map<String, RoaringBitmap> deletions) {
        if (deletions.isEmpty()) {
            return List.of();
        }
        Map<String, Row> adds = new HashMap<>();
        try (CloseableIterator<FilteredColumnarBatch> files = snapshot.getScanBuilder().build()
                .getScanFiles(table.engine(), true)) {
            while (files.hasNext()) {
                try (CloseableIterator<Row> it = files.next().getRows()) {
                    while (it.hasNext()) {
                        Row scanFile = it.next();
                        String path = ScanFiles.logPath(scanFile);
                        if (deletions.containsKey(path)) {
                            adds.put(path, scanFile.getStruct(InternalScanFileUtils.ADD_FILE_ORDINAL));
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new LakeException(table.name(), "listing the files of table " + table.name() + " at version "
                    + snapshot.getVersion() + " failed: " + e.getMessage(), e);
        }
        Set<String> missing = new HashSet<>(deletions.keySet());
        missing.removeAll(adds.keySet());
        if (!missing.isEmpty()) {
            throw new LakeException(table.name(), "files " + missing + " are not in version " + snapshot.getVersion()
                    + " of table " + table.name() + "; their rows cannot be marked deleted");
        }
        Map<String, RoaringBitmap> merged = new LinkedHashMap<>();
        for (Map.Entry<String, RoaringBitmap> d : deletions.entrySet()) {
            RoaringBitmap positions = d.getValue().clone();
            new AddFile(adds.get(d.getKey())).getDeletionVector().ifPresent(old -> positions.or(
                    DeletionVectors.load(table, snapshot.getVersion(), d.getKey(), old)));
            merged.put(d.getKey(), positions);
        }
        Map<String, DeletionVectorDescriptor> written = DeletionVectors.write(table, merged);
        long now = System.currentTimeMillis();
        List<Row> out = new ArrayList<>();
        for (Map.Entry<String, DeletionVectorDescriptor> w : written.entrySet()) {
            Row old = adds.get(w.getKey());
            out.add(SingleAction.createRemoveFileSingleAction(new AddFile(old).toRemoveFileRow(true, Optional.of(now))));
            out.add(SingleAction.createAddFileSingleAction(readded(old, w.getValue())));
        }
        return out;
    }

    /** The same add with a new deletion vector and loose statistics. */
    private static Row readded(Row old, DeletionVectorDescriptor dv) {
        Map<Integer, Object> fields = new HashMap<>();
        for (StructField field : AddFile.FULL_SCHEMA.fields()) {
            int from = old.getSchema().indexOf(field.getName());
            if (from < 0 || old.isNullAt(from)) {
                continue;
            }
            int to = AddFile.FULL_SCHEMA.indexOf(field.getName());
            fields.put(to, switch (field.getName()) {
                case "path", "stats" -> old.getString(from);
                case "size", "modificationTime", "baseRowId", "defaultRowCommitVersion" -> old.getLong(from);
                case "dataChange" -> old.getBoolean(from);
                case "partitionValues", "tags" -> old.getMap(from);
                default -> null; // deletionVector: replaced below
            });
        }
        fields.values().removeIf(v -> v == null);
        fields.put(AddFile.FULL_SCHEMA.indexOf("dataChange"), true);
        fields.put(AddFile.FULL_SCHEMA.indexOf("deletionVector"), dv.toRow());
        int stats = AddFile.FULL_SCHEMA.indexOf("stats");
        if (fields.get(stats) instanceof String json) {
            fields.put(stats, looseBounds(json));
        }
        return new GenericRow(AddFile.FULL_SCHEMA, fields);
    }

    /** Statistics JSON with {@code "tightBounds":false}. */
    static String looseBounds(String json) {
        String loose = json.replace("\"tightBounds\":true", "\"tightBounds\":false");
        if (loose.contains("\"tightBounds\"")) {
            return loose;
        }
        return json.startsWith("{") ? "{\"tightBounds\":false" + (json.length() > 2 ? "," : "") + json.substring(1) : json;
    }
}

package io.hybridlake.lake;

import io.delta.kernel.data.ColumnVector;
import io.delta.kernel.data.ColumnarBatch;
import io.delta.kernel.data.Row;
import io.delta.kernel.engine.JsonHandler;
import io.delta.kernel.expressions.Predicate;
import io.delta.kernel.internal.actions.CommitInfo;
import io.delta.kernel.internal.actions.SingleAction;
import io.delta.kernel.internal.util.VectorUtils;
import io.delta.kernel.types.StructType;
import io.delta.kernel.utils.CloseableIterator;
import io.delta.kernel.utils.FileStatus;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Kernel's JSON handler, adding the current thread's {@link CommitLineage} to the
 * {@code commitInfo.operationParameters} of each commit file ({@code _delta_log/<version>.json}) it
 * writes. Uses Kernel's internal {@code CommitInfo}/{@code SingleAction} (pinned to 4.4.0, this package only).
 */
final class LineageJsonHandler implements JsonHandler {
    private static final Pattern COMMIT_FILE = Pattern.compile(".*_delta_log/\\d{20}\\.json$");
    private final JsonHandler delegate;

    LineageJsonHandler(JsonHandler delegate) {
        this.delegate = delegate;
    }

    @Override
    public ColumnarBatch parseJson(ColumnVector json, StructType schema, Optional<ColumnVector> selection) {
        return delegate.parseJson(json, schema, selection);
    }

    @Override
    public CloseableIterator<ColumnarBatch> readJsonFiles(CloseableIterator<FileStatus> files, StructType schema,
            Optional<Predicate> predicate) throws IOException {
        return delegate.readJsonFiles(files, schema, predicate);
    }

    @Override
    public void writeJsonFileAtomically(String path, CloseableIterator<Row> data, boolean overwrite) throws IOException {
        if (!COMMIT_FILE.matcher(path).matches()) {
            delegate.writeJsonFileAtomically(path, data, overwrite);
            return;
        }
        Map<String, String> lineage = CommitLineage.current();
        delegate.writeJsonFileAtomically(path, data.map(action -> withLineage(action, lineage)), overwrite);
    }

    private static Row withLineage(Row action, Map<String, String> lineage) {
        int ordinal = action.getSchema().indexOf("commitInfo");
        if (ordinal < 0 || action.isNullAt(ordinal)) {
            return action;
        }
        Row info = action.getStruct(ordinal);
        Map<String, String> params = new LinkedHashMap<>(stringMap(info, "operationParameters"));
        params.putAll(lineage);
        CommitInfo replaced = new CommitInfo(optionalLong(info, "inCommitTimestamp"), info.getLong(index(info, "timestamp")),
                optionalString(info, "engineInfo"), optionalString(info, "operation"), params,
                optionalBoolean(info, "isBlindAppend"), optionalString(info, "txnId"), stringMap(info, "operationMetrics"));
        return SingleAction.createCommitInfoSingleAction(replaced.toRow());
    }

    private static int index(Row row, String field) {
        return row.getSchema().indexOf(field);
    }

    private static Map<String, String> stringMap(Row row, String field) {
        int i = index(row, field);
        return i < 0 || row.isNullAt(i) ? Map.of() : VectorUtils.toJavaMap(row.getMap(i));
    }

    private static Optional<String> optionalString(Row row, String field) {
        int i = index(row, field);
        return i < 0 || row.isNullAt(i) ? Optional.empty() : Optional.of(row.getString(i));
    }

    private static Optional<Long> optionalLong(Row row, String field) {
        int i = index(row, field);
        return i < 0 || row.isNullAt(i) ? Optional.empty() : Optional.of(row.getLong(i));
    }

    private static Optional<Boolean> optionalBoolean(Row row, String field) {
        int i = index(row, field);
        return i < 0 || row.isNullAt(i) ? Optional.empty() : Optional.of(row.getBoolean(i));
    }
}

package io.hybridlake.batch;

import io.hybridlake.HybridlakeException;
import java.util.Locale;

/** Formats of files the batch path imports, known by their extension. */
public enum FileFormat {
    /** One JSON object per line (.ndjson, .jsonl, .json). */
    NDJSON,
    /** RFC 4180 CSV with a header row naming the pipeline's fields (.csv). */
    CSV,
    /** Parquet from any writer (.parquet); columns named as the pipeline's fields. */
    PARQUET;

    public static FileFormat of(String fileName) {
        String name = fileName.toLowerCase(Locale.ROOT);
        if (name.endsWith(".csv")) {
            return CSV;
        }
        if (name.endsWith(".parquet")) {
            return PARQUET;
        }
        if (name.endsWith(".ndjson") || name.endsWith(".jsonl") || name.endsWith(".json")) {
            return NDJSON;
        }
        throw new HybridlakeException.BadRequest(fileName, "cannot tell the format of file '" + fileName
                + "': name it .csv, .ndjson, .jsonl or .json (one JSON object per line)");
    }
}

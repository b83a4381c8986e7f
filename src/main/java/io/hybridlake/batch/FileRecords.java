package io.hybridlake.batch;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import io.hybridlake.HybridlakeException;
import io.hybridlake.stream.SourceRecord;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A file's records in order, a chunk at a time (files can be larger than memory): record i has offset
 * i. Each record's value is one JSON object, as the stream path receives events: an NDJSON line as
 * written (malformed lines included, so they are rejected with the reason rather than lost), a CSV row
 * as an object of its header's names and the row's text values (empty = null), which the pipeline's
 * decoder types exactly as it types JSON strings, a Parquet row through {@link ParquetRecords}.
 */
final class FileRecords implements Closeable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String file;
    private final InputStream lines;
    private final MappingIterator<Map<String, String>> csv;
    private final ParquetRecords parquet;
    private final long timestampMillis;
    /** Every record names its file (raw keeps it in the headers column). */
    private final Map<String, byte[]> origin;
    private long next;

    FileRecords(Path path, String fileName, FileFormat format, long timestampMillis) {
        this.file = fileName;
        this.timestampMillis = timestampMillis;
        this.origin = Map.of("file", fileName.getBytes(StandardCharsets.UTF_8));
        try {
            if (format == FileFormat.PARQUET) {
                this.parquet = new ParquetRecords(path);
                this.csv = null;
                this.lines = null;
                return;
            }
            this.parquet = null;
            InputStream in = new BufferedInputStream(Files.newInputStream(path), 1 << 16);
            if (format == FileFormat.CSV) {
                CsvMapper mapper = new CsvMapper().enable(CsvParser.Feature.TRIM_SPACES);
                this.csv = mapper.readerForMapOf(String.class).with(CsvSchema.emptySchema().withHeader()).readValues(in);
                this.lines = in;
            } else {
                this.csv = null;
                this.lines = in;
            }
        } catch (IOException e) {
            throw new HybridlakeException(fileName, "cannot open file " + fileName + ": " + e.getMessage(), e);
        }
    }

    /** Up to {@code max} next records; empty at the end of the file. */
    List<SourceRecord> nextChunk(int max) {
        List<SourceRecord> out = new ArrayList<>(Math.min(max, 1 << 16));
        try {
            while (out.size() < max) {
                byte[] value = parquet != null ? parquet.next() : csv != null ? nextCsvRow() : nextLine();
                if (value == null) {
                    break;
                }
                out.add(new SourceRecord(next++, timestampMillis, null, value, origin));
            }
        } catch (IOException | RuntimeException e) {
            throw new HybridlakeException(file, "cannot read file " + file + " after record " + next + ": "
                    + e.getMessage(), e);
        }
        return out;
    }

    private byte[] nextCsvRow() throws IOException {
        if (!csv.hasNextValue()) {
            return null;
        }
        Map<String, String> row = csv.nextValue();
        ObjectNode object = JSON.createObjectNode();
        row.forEach((name, text) -> {
            if (text == null || text.isEmpty()) {
                object.putNull(name);
            } else {
                object.put(name, text);
            }
        });
        return JSON.writeValueAsBytes(object);
    }

    /** The next non-blank line without its line break, or null at the end. */
    private byte[] nextLine() throws IOException {
        while (true) {
            ByteArrayOutputStream line = new ByteArrayOutputStream(256);
            int c;
            while ((c = lines.read()) != -1 && c != '\n') {
                line.write(c);
            }
            byte[] bytes = line.toByteArray();
            int end = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
            if (new String(bytes, 0, end, StandardCharsets.UTF_8).isBlank()) {
                if (c == -1) {
                    return null;
                }
                continue; // blank lines are not records
            }
            return end == bytes.length ? bytes : Arrays.copyOf(bytes, end);
        }
    }

    @Override
    public void close() {
        try {
            if (parquet != null) {
                parquet.close();
            }
            if (csv != null) {
                csv.close();
            }
            if (lines != null) {
                lines.close();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

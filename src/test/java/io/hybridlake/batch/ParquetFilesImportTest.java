package io.hybridlake.batch;

import static org.assertj.core.api.Assertions.assertThat;

import io.hybridlake.lake.Lake;
import io.hybridlake.lake.TablePath;
import io.hybridlake.pipeline.PipelineCatalog;
import io.hybridlake.stream.Fixtures;
import io.hybridlake.stream.RecordImporter;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Parquet file as other tools write it (timestamps in microseconds, decimal amounts, optional
 * columns, an extra column the pipeline does not know) imports through the pipeline's rules; a row
 * breaking them is rejected with the reason; the same file again is a no-op.
 */
class ParquetFilesImportTest {
    @TempDir
    Path dir;

    @Test
    void aParquetFileImportsThroughTheRules() throws Exception {
        MessageType schema = MessageTypeParser.parseMessageType("""
                message tx {
                  required binary transaction_id (STRING);
                  required binary customer_id (STRING);
                  optional int64 amount (DECIMAL(12,2));
                  optional binary status (STRING);
                  optional int64 transaction_date (TIMESTAMP(MICROS,true));
                  optional int32 loyalty_points;
                }""");
        Path file = dir.resolve("export.parquet");
        Instant base = Instant.parse("2024-02-29T08:30:00Z");
        try (ParquetWriter<Group> writer = ExampleParquetWriter.builder(new org.apache.hadoop.fs.Path(file.toUri()))
                .withConf(new Configuration()).withType(schema).build()) {
            SimpleGroupFactory rows = new SimpleGroupFactory(schema);
            for (int i = 0; i < 1000; i++) {
                Group g = rows.newGroup().append("transaction_id", "p" + i).append("customer_id", "c" + i % 7)
                        .append("amount", (i == 13 ? -500L : 1234L + i)) // 12.34 + i/100; -5.00 is out of range
                        .append("status", Binary.fromString("completed"))
                        .append("transaction_date", (base.getEpochSecond() + i) * 1_000_000L);
                if (i % 2 == 0) {
                    g.append("loyalty_points", i);
                }
                writer.write(g);
            }
        }
        try (Lake lake = Lake.local(dir.resolve("lake"))) {
            PipelineCatalog catalog = new PipelineCatalog(List.of(Fixtures.builtin("transactions")), "hybridlake.");
            BatchIngestor ingestor = new BatchIngestor(catalog, new RecordImporter(lake, catalog, System::currentTimeMillis,
                    1 << 20), System::currentTimeMillis);
            BatchIngestor.Result r = ingestor.importFile("transactions", "export.parquet", file);
            assertThat(r.records()).isEqualTo(1000);
            assertThat(r.rejected()).isEqualTo(1);
            assertThat(r.refined()).isEqualTo(999);
            List<Object[]> refined = Fixtures.rows(lake, TablePath.refinedBatch("transactions"));
            assertThat(refined).hasSize(999).anySatisfy(row -> {
                assertThat(row[0]).isEqualTo("p500");
                assertThat(row[2]).isEqualTo(new BigDecimal("17.34").doubleValue());
                assertThat(row[6]).isEqualTo((base.getEpochSecond() + 500) * 1_000_000L);
            });
            assertThat(Fixtures.rows(lake, TablePath.rejected("transactions"))).singleElement()
                    .satisfies(row -> assertThat((String) row[6]).contains("amount").contains("-5"));
            assertThat(ingestor.importFile("transactions", "export.parquet", file).alreadyImported()).isTrue();
        }
    }
}

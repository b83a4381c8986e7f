package io.hybridlake.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hybridlake.lake.ColumnType;
import java.io.StringReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BadPipelineSpecsNameFileLineAndFieldTest {
    private static final String GOOD = """
            table: orders
            fields:
              - {name: id, type: string, nullable: false}
              - {name: amount, type: double}
              - {name: at, type: timestamp}
            key: id
            event_time: at
            derived:
              - {name: day, expr: "to_date(at)"}
            filters:
              - "amount > 0"
            partition_by: [day]
            windows:
              - name: w
                size: 5m
                group_by: [id]
                aggregates:
                  - {fn: sum, column: amount}
            """;

    @Test
    void aValidSpecLoads() {
        PipelineSpec spec = PipelineLoader.load("orders.yaml", new StringReader(GOOD));
        assertThat(spec.windows().get(0).aggregates().get(0).as()).isEqualTo("sum_amount");
        assertThat(spec.derived().get(0).expr().type()).isEqualTo(ColumnType.DATE);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "type: double}|type: money}|orders.yaml:4: fields[1].type: unknown type 'money'",
        "key: id|key: nope|orders.yaml:6: key: unknown column 'nope'",
        "event_time: at|event_time: amount|orders.yaml:7: event_time: column 'amount' must be a timestamp",
        "to_date(at)|to_date(amount)|orders.yaml:9: derived[0].expr: in expression 'to_date(amount)': to_date() needs a timestamp",
        "amount > 0|amount > 'x'|orders.yaml:11: filters[0]: in expression 'amount > 'x'': cannot compare a double with a string",
        "size: 5m|size: 5 minutes|orders.yaml:15: windows[0].size: '5 minutes' is not a duration",
        "{fn: sum, column: amount}|{fn: median, column: amount}|orders.yaml:18: windows[0].aggregates[0].fn: unknown aggregate 'median'",
        "partition_by: [day]|partitoin_by: [day]|orders.yaml:12: partitoin_by: unknown key 'partitoin_by'",
        "size: 5m|type: hopping~    size: 5m|orders.yaml:14: windows[0]: a hopping window needs 'hop'",
        "size: 5m|type: hopping~    size: 5m~    hop: 10m|orders.yaml:17: windows[0].hop: hop 10m is longer",
        "size: 5m|size: 5m~    hop: 1m|orders.yaml:16: windows[0].hop: 'hop' applies to hopping windows only",
        "size: 5m|type: session~    timeout: 1m|orders.yaml:14: windows[0]: required key 'max_duration'",
        "size: 5m|type: session~    timeout: 10m~    max_duration: 5m|orders.yaml:17: windows[0].max_duration: max_duration 5m is shorter",
        "size: 5m|type: session~    size: 5m~    timeout: 1m~    max_duration: 1h|orders.yaml:16: windows[0].size: a session window has timeout",
        "size: 5m|type: sliding~    size: 5m~    timeout: 1m|orders.yaml:17: windows[0].timeout: 'timeout' applies to session windows only",
        "{fn: sum, column: amount}|{fn: sum, column: id}|orders.yaml:18: windows[0].aggregates[0].column: sum needs a numeric column",
        "partition_by: [day]|partition_by: [day]~watermark: {allowed_lateness: 1h}~dedup: {horizon: 10m}|orders.yaml:14: dedup.horizon: the dedup horizon 10m is shorter than the allowed lateness",
        "partition_by: [day]|partition_by: [day]~watermark: {out_of_order: -5s}|orders.yaml:13: watermark.out_of_order: '-5s' must be zero or more",
        "partition_by: [day]|partition_by: [day]~source: {format: avro}|orders.yaml:13: source.format: unknown source format 'avro'",
        "partition_by: [day]|partition_by: [day]~watermark: {allowed_lateness: unbounded}~dedup: {column: id}|orders.yaml:14: dedup: dedup needs an explicit 'horizon'",
    })
    void errorsNameFileLineAndField(String from, String to, String expected) {
        String yaml = GOOD.replace(from, to.replace("~", "\n")); // ~ marks a line break in the table above
        assertThat(yaml).isNotEqualTo(GOOD);
        assertThatThrownBy(() -> PipelineLoader.load("orders.yaml", new StringReader(yaml)))
                .isInstanceOf(PipelineSpecException.class).hasMessageStartingWith(expected);
    }

    @Test
    void lateEventsDefaultToStreamAnalyticsToleranceAndCdcToNeverLate() {
        PipelineSpec json = PipelineLoader.load("orders.yaml", new StringReader(GOOD));
        assertThat(json.timing()).isEqualTo(EventTimePolicy.STREAM_ANALYTICS_DEFAULTS);
        assertThat(json.dedup()).isNull();
        assertThat(json.fields()).extracting(FieldSpec::name).endsWith(SystemFields.PARTITION_KEY,
                SystemFields.ENQUEUED_TIME, SystemFields.SEQUENCE_NUMBER, SystemFields.DEVICE_ID);
        PipelineSpec cdc = PipelineLoader.load("orders.yaml", new StringReader(GOOD + "source: {format: debezium}\n"));
        assertThat(cdc.timing().allowedLateness()).isNull();
        assertThat(cdc.fields()).extracting(FieldSpec::name).contains(SystemFields.CHANGE_OP, SystemFields.CHANGE_SEQ);
    }

    @Test
    void brokenYamlNamesTheLine() {
        assertThatThrownBy(() -> PipelineLoader.load("x.yaml", new StringReader("table: a\nfields: [\n")))
                .isInstanceOf(PipelineSpecException.class).hasMessageStartingWith("x.yaml:3:");
    }
}

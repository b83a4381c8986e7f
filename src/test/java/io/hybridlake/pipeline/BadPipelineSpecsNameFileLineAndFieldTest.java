package io.hybridlake.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
        assertThat(spec.derived().get(0).expr().type()).isEqualTo(io.hybridlake.lake.ColumnType.DATE);
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
    })
    void errorsNameFileLineAndField(String from, String to, String expected) {
        String yaml = GOOD.replace(from, to);
        assertThat(yaml).isNotEqualTo(GOOD);
        assertThatThrownBy(() -> PipelineLoader.load("orders.yaml", new StringReader(yaml)))
                .isInstanceOf(PipelineSpecException.class).hasMessageStartingWith(expected);
    }

    @Test
    void brokenYamlNamesTheLine() {
        assertThatThrownBy(() -> PipelineLoader.load("x.yaml", new StringReader("table: a\nfields: [\n")))
                .isInstanceOf(PipelineSpecException.class).hasMessageStartingWith("x.yaml:3:");
    }
}

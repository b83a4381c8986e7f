package io.hybridlake.pipeline.expr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hybridlake.lake.ColumnType;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/**
 * The derived-column and filter language: SQL's arithmetic, precedence and three-valued logic (null
 * in, null out; a filter keeps a row only when true), the functions, and type errors caught when the
 * pipeline is loaded rather than per event.
 */
class ExpressionsEvaluateLikeSqlTest {
    private static final List<String> NAMES = List.of("amount", "qty", "status", "at");
    private static final List<ColumnType> TYPES = List.of(ColumnType.DOUBLE, ColumnType.LONG, ColumnType.STRING,
            ColumnType.TIMESTAMP);
    private static final Scope SCOPE = new Scope() {
        @Override
        public int indexOf(String column) {
            return NAMES.indexOf(column);
        }

        @Override
        public ColumnType typeOf(int index) {
            return TYPES.get(index);
        }
    };
    private static final long AT = Instant.parse("2025-01-28T10:15:30Z").toEpochMilli() * 1000;
    private static final Object[] ROW = {12.345, 3L, "Paid", AT};
    private static final Object[] NULLS = {null, null, null, null};

    private static Object eval(String source, Object[] row) {
        return Parser.parse(source, SCOPE).eval(row);
    }

    @Test
    void arithmeticFollowsPrecedenceAndWidensLongToDouble() {
        assertThat(eval("1 + 2 * 3", ROW)).isEqualTo(7L);
        assertThat(eval("(1 + 2) * 3", ROW)).isEqualTo(9L);
        assertThat(Parser.parse("amount * qty", SCOPE).type()).isEqualTo(ColumnType.DOUBLE);
        assertThat((Double) eval("amount * qty", ROW)).isCloseTo(37.035, Offset.offset(1e-9));
        assertThat(eval("qty - 5", ROW)).isEqualTo(-2L);
    }

    @Test
    void nullInNullOutAndThreeValuedLogic() {
        assertThat(eval("amount * qty", NULLS)).isNull();
        assertThat(eval("amount > 10", NULLS)).isNull();
        assertThat(eval("amount > 10 AND false", NULLS)).isEqualTo(false); // null AND false = false
        assertThat(eval("amount > 10 OR true", NULLS)).isEqualTo(true); // null OR true = true
        assertThat(eval("NOT (amount > 10)", NULLS)).isNull();
        assertThat(eval("status IS NULL", NULLS)).isEqualTo(true);
        assertThat(eval("status IS NOT NULL", ROW)).isEqualTo(true);
        assertThat(eval("coalesce(status, 'none')", NULLS)).isEqualTo("none");
    }

    @Test
    void comparisonsAndMembership() {
        assertThat(eval("status = 'Paid' AND amount > 10", ROW)).isEqualTo(true);
        assertThat(eval("status <> 'Paid'", ROW)).isEqualTo(false);
        assertThat(eval("qty IN (1, 2, 3)", ROW)).isEqualTo(true);
        assertThat(eval("status NOT IN ('Open', 'Void')", ROW)).isEqualTo(true);
    }

    @Test
    void functions() {
        assertThat(eval("round(amount, 2)", ROW)).isEqualTo(12.35);
        assertThat(eval("to_date(at)", ROW)).isEqualTo((int) LocalDate.parse("2025-01-28").toEpochDay());
        assertThat(eval("year(at)", ROW)).isEqualTo(2025L);
        assertThat(eval("hour(at)", ROW)).isEqualTo(10L);
        assertThat(eval("lower(status)", ROW)).isEqualTo("paid");
        assertThat(eval("length(status)", ROW)).isEqualTo(4L);
        assertThat(eval("concat(status, '-', qty)", ROW)).isEqualTo("Paid-3");
        assertThat(eval("abs(qty - 5)", ROW)).isEqualTo(2L);
    }

    @Test
    void mistakesAreCaughtAtLoadTimeWithWhatIsWrong() {
        assertThatThrownBy(() -> Parser.parse("amount + status", SCOPE)).isInstanceOf(ExprException.class);
        assertThatThrownBy(() -> Parser.parse("price > 1", SCOPE)).isInstanceOf(ExprException.class)
                .hasMessageContaining("price");
        assertThatThrownBy(() -> Parser.parse("shout(status)", SCOPE)).isInstanceOf(ExprException.class)
                .hasMessageContaining("unknown function 'shout'");
        assertThatThrownBy(() -> Parser.parse("qty > 1 qty", SCOPE)).isInstanceOf(ExprException.class)
                .hasMessageContaining("unexpected");
    }
}

package io.hybridlake.serving.sql;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;

/** RFC 4180 CSV of a SQL answer: a header row, then the rows; fields quoted when they need it. */
public final class ResultCsv {
    private static final ObjectMapper JSON_TEXT = new ObjectMapper();

    private ResultCsv() {
    }

    public static String of(LakeSql.Result result) {
        StringBuilder out = new StringBuilder();
        line(out, result.columns().stream().map(c -> (Object) c.name()).toList());
        for (List<Object> row : result.rows()) {
            line(out, row);
        }
        return out.toString();
    }

    private static void line(StringBuilder out, List<Object> values) {
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            Object v = values.get(i);
            if (v != null) {
                String s = v instanceof Map<?, ?> || v instanceof List<?> ? JSON_TEXT.valueToTree(v).toString()
                        : v.toString();
                boolean quote = s.indexOf(',') >= 0 || s.indexOf('"') >= 0 || s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0;
                out.append(quote ? '"' + s.replace("\"", "\"\"") + '"' : s);
            }
        }
        out.append("\r\n");
    }
}

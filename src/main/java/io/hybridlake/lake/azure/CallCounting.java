package io.hybridlake.lake.azure;

import com.azure.core.http.HttpMethod;
import com.azure.core.http.HttpPipelineCallContext;
import com.azure.core.http.HttpPipelineNextPolicy;
import com.azure.core.http.HttpPipelineNextSyncPolicy;
import com.azure.core.http.HttpPipelinePosition;
import com.azure.core.http.HttpRequest;
import com.azure.core.http.HttpResponse;
import com.azure.core.http.policy.HttpPipelinePolicy;
import io.hybridlake.lake.StorageCalls;
import java.util.Locale;
import reactor.core.publisher.Mono;

/**
 * Counts every request the Blob client sends, retries included (placed per retry), by Blob REST
 * operation: what a commit costs in round trips on ADLS.
 */
final class CallCounting implements HttpPipelinePolicy {
    private final StorageCalls calls;

    CallCounting(StorageCalls calls) {
        this.calls = calls;
    }

    @Override
    public Mono<HttpResponse> process(HttpPipelineCallContext context, HttpPipelineNextPolicy next) {
        calls.record(operation(context.getHttpRequest()));
        return next.process();
    }

    @Override
    public HttpResponse processSync(HttpPipelineCallContext context, HttpPipelineNextSyncPolicy next) {
        calls.record(operation(context.getHttpRequest()));
        return next.processSync();
    }

    @Override
    public HttpPipelinePosition getPipelinePosition() {
        return HttpPipelinePosition.PER_RETRY;
    }

    /** The Blob REST operation of a request, from its method and {@code comp} parameter. */
    static String operation(HttpRequest request) {
        String query = request.getUrl().getQuery();
        String comp = query == null ? "" : parameter(query, "comp");
        HttpMethod method = request.getHttpMethod();
        if (comp.equals("list")) {
            return "list";
        }
        if (method == HttpMethod.GET) {
            return "read";
        }
        if (method == HttpMethod.HEAD) {
            return "get-properties";
        }
        if (method == HttpMethod.DELETE) {
            return "delete";
        }
        if (method == HttpMethod.PUT) {
            return switch (comp) {
                case "block" -> "put-block";
                case "blocklist" -> "put-block-list";
                default -> query != null && query.contains("restype=container") ? "create-container" : "put-blob";
            };
        }
        return method.name().toLowerCase(Locale.ROOT);
    }

    private static String parameter(String query, String name) {
        for (String pair : query.split("&")) {
            if (pair.startsWith(name + "=")) {
                return pair.substring(name.length() + 1);
            }
        }
        return "";
    }
}

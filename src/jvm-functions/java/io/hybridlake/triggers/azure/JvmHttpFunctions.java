package io.hybridlake.triggers.azure;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.annotation.AuthorizationLevel;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.HttpTrigger;
import io.hybridlake.triggers.CustomHandlerHttp;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;

/** The HTTP triggers on the Java worker (behind the host's function keys), through {@link CustomHandlerHttp}. */
@ApplicationScoped
public class JvmHttpFunctions {
    @Inject
    CustomHandlerHttp http;

    @Inject
    ObjectMapper json;

    @FunctionName("IngestHttp")
    public HttpResponseMessage ingest(@HttpTrigger(name = "req", methods = {HttpMethod.POST},
            authLevel = AuthorizationLevel.FUNCTION) HttpRequestMessage<Optional<String>> request) {
        return JvmInvocations.respond(request, http.ingestHttp(JvmInvocations.http(json, request)));
    }

    @FunctionName("QueryHttp")
    public HttpResponseMessage query(@HttpTrigger(name = "req", methods = {HttpMethod.GET},
            authLevel = AuthorizationLevel.FUNCTION) HttpRequestMessage<Optional<String>> request) {
        return JvmInvocations.respond(request, http.queryHttp(JvmInvocations.http(json, request)));
    }

    @FunctionName("SqlHttp")
    public HttpResponseMessage sql(@HttpTrigger(name = "req", methods = {HttpMethod.GET, HttpMethod.POST},
            authLevel = AuthorizationLevel.FUNCTION) HttpRequestMessage<Optional<String>> request) {
        return JvmInvocations.respond(request, http.sqlHttp(JvmInvocations.http(json, request)));
    }

    @FunctionName("RouteHttp")
    public HttpResponseMessage route(@HttpTrigger(name = "req", methods = {HttpMethod.POST},
            authLevel = AuthorizationLevel.FUNCTION) HttpRequestMessage<Optional<String>> request) {
        return JvmInvocations.respond(request, http.routeHttp(JvmInvocations.http(json, request)));
    }
}

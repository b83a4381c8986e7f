package io.hybridlake.triggers;

import java.util.Map;
import java.util.regex.Pattern;

/**
 * The role each endpoint needs. A path not listed here needs {@link Role#ADMIN}: a new endpoint is
 * closed until someone decides who may call it ({@code ApiKeysHaveRolesTest} lists every served path).
 */
public final class EndpointRoles {
    private static final Map<String, Role> EXACT = Map.ofEntries(
            Map.entry("/ingest", Role.INGEST),
            Map.entry("/route", Role.INGEST),
            Map.entry("/streamStatus", Role.READ),
            Map.entry("/pipelines", Role.READ),
            Map.entry("/tableInfo", Role.READ),
            Map.entry("/tableRows", Role.READ),
            Map.entry("/lineage", Role.READ),
            Map.entry("/windows", Role.READ),
            Map.entry("/sql", Role.READ),
            Map.entry("/imports", Role.READ),
            Map.entry("/ops/dashboard", Role.READ),
            Map.entry("/q/metrics", Role.READ));
    private static final Pattern TABLE_EVENTS = Pattern.compile("/tables/[^/]+/(events|files)");
    private static final Pattern TABLE_UNIFIED = Pattern.compile("/tables/[^/]+/unified");

    private EndpointRoles() {
    }

    /** The role needed for a (normalized) request path. */
    public static Role required(String path) {
        Role exact = EXACT.get(path);
        if (exact != null) {
            return exact;
        }
        if (TABLE_EVENTS.matcher(path).matches()) {
            return Role.INGEST;
        }
        if (TABLE_UNIFIED.matcher(path).matches()) {
            return Role.READ;
        }
        return Role.ADMIN;
    }
}

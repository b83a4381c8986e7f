package io.hybridlake.triggers;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * What an API key may do. {@code admin} includes the other two; {@code ingest} and {@code read} are
 * separate so a producer's key cannot read the lake and a dashboard's key cannot write to it.
 */
public enum Role {
    /** Send events and files, route jobs: {@code /ingest}, {@code /tables/{t}/events|files}, {@code /route}. */
    INGEST,
    /** Query, lookups, SQL, table information, lineage, metrics, the dashboard's data. */
    READ,
    /** Imports, MERGE/curate/compact/vacuum on demand, replay, rebuild, offset resets, pipeline resume. */
    ADMIN;

    /** The roles a key of this role holds. */
    public Set<Role> grants() {
        return this == ADMIN ? EnumSet.allOf(Role.class) : EnumSet.of(this);
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}

package io.hybridlake.batch;

import io.hybridlake.HybridlakeException;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The databases an operator declared for imports (configuration, or Key Vault references on Azure):
 * name → URL and credentials. The API takes a source's name, never a URL, and every URL is checked by
 * {@link JdbcUrlPolicy} when the platform starts, so a bad one stops start-up naming the source.
 */
public final class JdbcSources {
    /** One declared database; the password is used to connect, never logged or returned. */
    public record Source(String name, String url, Optional<String> user, Optional<String> password) {
        @Override
        public String toString() {
            return "JdbcSource[" + name + "]";
        }
    }

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_\\-]{1,64}");

    private final Map<String, Source> sources;
    private final Map<String, JdbcUrlPolicy.Allowed> allowed = new TreeMap<>();

    public JdbcSources(Map<String, Source> sources) {
        this.sources = new TreeMap<>(sources);
        sources.forEach((name, source) -> {
            if (!NAME.matcher(name).matches()) {
                throw new HybridlakeException("hybridlake.jdbc.sources", "JDBC source name '" + name
                        + "' must be letters, digits, _ or - (at most 64)");
            }
            allowed.put(name, JdbcUrlPolicy.check(name, source.url()));
        });
    }

    /** The declared source {@code name}, with its checked URL; a 400 naming the declared ones if unknown. */
    public Source source(String name) {
        Source s = name == null ? null : sources.get(name);
        if (s == null) {
            throw new HybridlakeException.BadRequest(String.valueOf(name), "no JDBC source '" + name + "' is declared; "
                    + "declared: " + sources.keySet() + " (an operator declares them as hybridlake.jdbc.sources."
                    + "<name>.url/user/password)");
        }
        return s;
    }

    /** The driver class the policy chose for a declared source. */
    String driverClass(String name) {
        return allowed.get(name).driverClass();
    }

    public Set<String> names() {
        return sources.keySet();
    }
}

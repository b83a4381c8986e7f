package io.hybridlake.batch;

import io.hybridlake.HybridlakeException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which JDBC URLs an import may open. Driver URL options can run code, load classes or touch files
 * (H2: {@code INIT=RUNSCRIPT FROM '<file>'}, {@code CREATE ALIAS … AS '<java>'}, {@code jdbc:h2:file:…},
 * {@code TRACE_LEVEL_FILE}; PostgreSQL: {@code socketFactory}, {@code sslfactory}, {@code loggerFile},
 * {@code sslpasswordcallback}, {@code authenticationPluginClassName}, …), so a URL is parsed and only
 * an allow-list passes: PostgreSQL over the network with a few harmless properties, H2 over TCP or
 * in memory with a few settings whose values are plain words. Everything else is refused, naming the
 * source and the part refused; the driver class comes from this list, never from the URL.
 */
public final class JdbcUrlPolicy {
    /** A URL that passed, with the driver class that opens it. */
    public record Allowed(String url, String driverClass) {
    }

    private static final Pattern POSTGRES = Pattern.compile(
            "jdbc:postgresql://([A-Za-z0-9.\\-]+(:\\d{1,5})?(,[A-Za-z0-9.\\-]+(:\\d{1,5})?)*)/([A-Za-z0-9_\\-]+)(\\?(.*))?");
    private static final Set<String> POSTGRES_PROPERTIES = Set.of("ssl", "sslmode", "connecttimeout", "sockettimeout",
            "logintimeout", "applicationname", "readonly", "currentschema", "tcpkeepalive", "defaultrowfetchsize",
            "targetservertype", "gssencmode");
    private static final Pattern H2 = Pattern.compile("jdbc:h2:(tcp://[A-Za-z0-9.\\-]+(:\\d{1,5})?/|mem:)([^;]*)(;.*)?");
    private static final Pattern H2_DATABASE = Pattern.compile("[A-Za-z0-9_\\-]+(/[A-Za-z0-9_\\-]+)*");
    private static final Map<String, Pattern> H2_SETTINGS = Map.of(
            "DB_CLOSE_DELAY", Pattern.compile("-?\\d{1,6}"),
            "MODE", Pattern.compile("[A-Za-z0-9]{1,20}"),
            "IFEXISTS", Pattern.compile("(?i)TRUE|FALSE"),
            "ACCESS_MODE_DATA", Pattern.compile("(?i)r"));
    private static final Pattern PLAIN_VALUE = Pattern.compile("[A-Za-z0-9_.\\-]{0,64}");

    private JdbcUrlPolicy() {
    }

    /** The URL of source {@code source} if the policy allows it, else a {@link HybridlakeException.BadRequest}. */
    public static Allowed check(String source, String url) {
        if (url == null || url.isBlank()) {
            throw refused(source, "has no URL");
        }
        if (url.length() > 1024 || url.chars().anyMatch(c -> c < 0x21 || c > 0x7e)) {
            throw refused(source, "has a URL with spaces, control or non-ASCII characters, or over 1024 characters");
        }
        String lower = url.toLowerCase(Locale.ROOT);
        if (lower.startsWith("jdbc:postgresql:")) {
            return postgres(source, url);
        }
        if (lower.startsWith("jdbc:h2:")) {
            return h2(source, url);
        }
        throw refused(source, "uses a driver that is not allowed (" + scheme(url) + "); imports read from PostgreSQL "
                + "(jdbc:postgresql://host/db) or H2 over TCP (jdbc:h2:tcp://host/db)");
    }

    private static Allowed postgres(String source, String url) {
        Matcher m = POSTGRES.matcher(url);
        if (!m.matches()) {
            throw refused(source, "is not of the form jdbc:postgresql://host[:port][,host2…]/database[?property=value&…]"
                    + " (a local socket or a URL without a host is not allowed)");
        }
        if (m.group(7) != null && !m.group(7).isEmpty()) {
            for (String pair : m.group(7).split("&", -1)) {
                int eq = pair.indexOf('=');
                String name = decode(source, eq < 0 ? pair : pair.substring(0, eq));
                String value = eq < 0 ? "" : decode(source, pair.substring(eq + 1));
                if (!POSTGRES_PROPERTIES.contains(name.toLowerCase(Locale.ROOT))) {
                    throw refused(source, "sets the PostgreSQL property '" + name + "', which is not allowed (allowed: "
                            + POSTGRES_PROPERTIES + "); properties that load classes or touch files never are");
                }
                if (!PLAIN_VALUE.matcher(value).matches()) {
                    throw refused(source, "gives property '" + name + "' a value that is not a plain word");
                }
            }
        }
        return new Allowed(url, "org.postgresql.Driver");
    }

    private static Allowed h2(String source, String url) {
        Matcher m = H2.matcher(url);
        if (!m.matches()) {
            throw refused(source, "is not of the form jdbc:h2:tcp://host[:port]/database or jdbc:h2:mem:name "
                    + "(embedded file databases — file:, ~, absolute or relative paths, zip:, split:, nio… — are not "
                    + "allowed: they open files on this host)");
        }
        if (!H2_DATABASE.matcher(m.group(3)).matches()) {
            throw refused(source, "names the H2 database '" + m.group(3) + "'; use letters, digits, _ and - (a path "
                    + "prefix such as file: or ~ is not allowed)");
        }
        if (m.group(4) != null) {
            for (String setting : m.group(4).substring(1).split(";", -1)) {
                int eq = setting.indexOf('=');
                String name = (eq < 0 ? setting : setting.substring(0, eq)).strip().toUpperCase(Locale.ROOT);
                Pattern allowed = H2_SETTINGS.get(name);
                if (allowed == null) {
                    throw refused(source, "sets the H2 setting '" + name + "', which is not allowed (allowed: "
                            + H2_SETTINGS.keySet() + "); INIT, RUNSCRIPT, TRACE_LEVEL_FILE and the like run code or "
                            + "touch files");
                }
                if (eq < 0 || !allowed.matcher(setting.substring(eq + 1).strip()).matches()) {
                    throw refused(source, "gives the H2 setting '" + name + "' a value that is not allowed");
                }
            }
        }
        return new Allowed(url, "org.h2.Driver");
    }

    private static String decode(String source, String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw refused(source, "has a property that is not URL-encoded correctly");
        }
    }

    private static String scheme(String url) {
        int second = url.indexOf(':', 5);
        return second < 0 ? "no driver" : url.substring(0, second);
    }

    private static HybridlakeException.BadRequest refused(String source, String why) {
        return new HybridlakeException.BadRequest(source, "JDBC source '" + source + "' " + why);
    }
}

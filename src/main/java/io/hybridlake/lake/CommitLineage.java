package io.hybridlake.lake;

import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.function.Supplier;

/**
 * Where the rows of a commit came from: written into the Delta {@code commitInfo.operationParameters}
 * of every commit made by the current thread while {@link #during} runs (so {@code DESCRIBE HISTORY}
 * in Spark shows it too). Kernel has no API for commit-info parameters; {@link LakeEngine}'s JSON
 * handler adds them as the commit file is written. Keys are prefixed {@code hybridlake.}.
 */
public final class CommitLineage {
    public static final String PREFIX = "hybridlake.";
    public static final String PIPELINE = PREFIX + "pipeline";
    /** Broker offsets ({@code topic[partition]:first-last}, comma separated) or a file and its records. */
    public static final String SOURCE = PREFIX + "source";
    /** The file a batch import read (its name as uploaded or found in the landing zone). */
    public static final String FILE = PREFIX + "file";
    /** Upstream tables and the versions read ({@code refined/stream/t@12}, comma separated). */
    public static final String UPSTREAM = PREFIX + "upstream";
    public static final String JOB = PREFIX + "job";
    public static final String CODE_VERSION = PREFIX + "codeVersion";

    private static final String VERSION = readCodeVersion();
    private static final ThreadLocal<Map<String, String>> CURRENT = new ThreadLocal<>();

    private CommitLineage() {
    }

    /** The platform's version, as built (Maven's project version and the git commit when known). */
    public static String codeVersion() {
        return VERSION;
    }

    /**
     * Runs {@code work}; every commit it makes on this thread records {@code params} (plus the code
     * version). Nested calls add to the outer parameters.
     */
    public static <T> T during(Map<String, String> params, Supplier<T> work) {
        Map<String, String> outer = CURRENT.get();
        Map<String, String> merged = new LinkedHashMap<>(outer == null ? Map.of() : outer);
        params.forEach((k, v) -> {
            if (v != null) {
                merged.put(k.startsWith(PREFIX) ? k : PREFIX + k, v);
            }
        });
        merged.put(CODE_VERSION, VERSION);
        CURRENT.set(merged);
        try {
            return work.get();
        } finally {
            if (outer == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(outer);
            }
        }
    }

    /** As {@link #during(Map, Supplier)} for work without a result. */
    public static void during(Map<String, String> params, Runnable work) {
        during(params, () -> {
            work.run();
            return null;
        });
    }

    /**
     * {@code work} bound to this thread's lineage, for running on another thread: its commits record
     * what commits made here would.
     */
    public static <T> Supplier<T> carriedOver(Supplier<T> work) {
        Map<String, String> params = current();
        return () -> during(params, work);
    }

    /** The parameters of the commit being written on this thread (the code version at least). */
    static Map<String, String> current() {
        Map<String, String> c = CURRENT.get();
        return c != null ? c : Map.of(CODE_VERSION, VERSION);
    }

    private static String readCodeVersion() {
        try (InputStream in = CommitLineage.class.getResourceAsStream("/hybridlake-build.properties")) {
            if (in == null) {
                return "dev";
            }
            Properties p = new Properties();
            p.load(in);
            String version = p.getProperty("version", "dev");
            String commit = p.getProperty("commit", "");
            return commit.isBlank() || commit.startsWith("$") ? version : version + "+" + commit;
        } catch (IOException e) {
            return "dev";
        }
    }
}

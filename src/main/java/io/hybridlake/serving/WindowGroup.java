package io.hybridlake.serving;

/**
 * A group key: the windows of one key of one window definition of one table. Not a record: a
 * record's equals and hashCode go through invokedynamic, and every window a poll touches looks
 * its group up (a tenth of the stream thread on a replay, measured).
 */
final class WindowGroup {
    private final String table;
    private final String window;
    private final String groupKey;
    private final int hash;

    private WindowGroup(String table, String window, String groupKey) {
        this.table = table;
        this.window = window;
        this.groupKey = groupKey;
        this.hash = (table.hashCode() * 31 + window.hashCode()) * 0x9E3779B1 + groupKey.hashCode();
    }

    static WindowGroup of(WindowId id) {
        return new WindowGroup(id.table(), id.window(), id.groupKey());
    }

    String table() {
        return table;
    }

    String window() {
        return window;
    }

    String groupKey() {
        return groupKey;
    }

    WindowId at(long start) {
        return new WindowId(table, window, groupKey, start);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WindowGroup g && hash == g.hash && groupKey.equals(g.groupKey) && window.equals(g.window)
                && table.equals(g.table);
    }

    @Override
    public int hashCode() {
        return hash;
    }
}

package io.hybridlake;

/**
 * A real component a test runs against (an emulator, a browser, a database server). Missing, the test
 * fails and says what to install: a skipped test would pass a run that checked nothing.
 */
public final class RequiredComponent {
    private RequiredComponent() {
    }

    public static void require(boolean present, String whatToInstall) {
        if (!present) {
            throw new AssertionError("a component this test needs is missing: " + whatToInstall);
        }
    }
}

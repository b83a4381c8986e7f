package io.hybridlake.ops;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** Lets platform tests refresh the timed metrics (lag, tables) now instead of waiting for the timer. */
@ApplicationScoped
public class PlatformMetersProbe {
    @Inject
    PlatformMeters meters;

    public void refreshNow() {
        meters.refresh();
    }
}

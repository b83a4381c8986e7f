package io.hybridlake.architecture.broken.stream;

import io.hybridlake.architecture.broken.serving.Provider;
import io.quarkus.runtime.StartupEvent;

/** Deliberately broken (for ArchitectureTest): a framework type in the core, half of a package cycle. */
public class Consumer {
    public Provider provider;
    public StartupEvent startup;
}

package io.hybridlake.architecture.broken.serving;

import io.delta.kernel.Snapshot;
import io.hybridlake.architecture.broken.stream.Consumer;

/** Deliberately broken (for ArchitectureTest): delta-kernel outside the lake, the other half of the cycle. */
public class Provider {
    public Consumer consumer;
    public Snapshot snapshot;
}

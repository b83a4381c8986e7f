package io.hybridlake.architecture.broken.lake.azure;

import io.vertx.core.Vertx;

/** Deliberately broken (for ArchitectureTest): a cloud adapter that uses a framework besides its SDK. */
public class Adapter {
    public Vertx vertx;
}

package io.hybridlake.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.lang.ArchRule;
import java.util.Arrays;
import java.util.List;

/**
 * The rules the code base keeps (docs/DESIGN.md §1), for the packages under {@code root}: no package
 * cycles; the core (lake, pipeline, stream, batch, serving, routing) free of frameworks and service
 * clients, which live in the hosts (runtime, triggers, ops); the cloud adapters of the core's ports
 * (lake.azure, serving.cosmos) with their SDK and nothing else; delta-kernel only behind the lake package.
 */
final class Architecture {
    /** Frameworks and service clients: the hosts' and adapters' business, not the core's. */
    static final String[] FRAMEWORKS_AND_CLIENTS = {"io.quarkus..", "jakarta..", "io.vertx..", "org.jboss..",
        "io.smallrye..", "org.eclipse.microprofile..", "io.micrometer..", "com.azure..", "org.apache.kafka.."};

    private Architecture() {
    }

    static List<ArchRule> rules(String root) {
        return List.of(
                slices().matching(root + ".(**)").should().beFreeOfCycles()
                        .as("no package cycles under " + root),
                noClasses().that().resideInAnyPackage(core(root))
                        .should().dependOnClassesThat().resideInAnyPackage(FRAMEWORKS_AND_CLIENTS)
                        .as("the core of " + root + " names no framework and no service client"),
                noClasses().that().resideInAnyPackage(root + ".lake.azure..", root + ".serving.cosmos..")
                        .should().dependOnClassesThat().resideInAnyPackage(withoutAzure())
                        .as("the cloud adapters of " + root + " use their SDK and the core's ports, no framework"),
                noClasses().that().resideOutsideOfPackages(root + ".lake..")
                        .should().dependOnClassesThat().resideInAnyPackage("io.delta.kernel..")
                        .as("delta-kernel is used only in " + root + ".lake"));
    }

    private static String[] withoutAzure() {
        return Arrays.stream(FRAMEWORKS_AND_CLIENTS).filter(p -> !p.equals("com.azure..")).toArray(String[]::new);
    }

    private static String[] core(String root) {
        return new String[] {root, root + ".lake", root + ".pipeline..", root + ".stream..", root + ".batch..",
            root + ".serving", root + ".serving.sql..", root + ".serving.cut..", root + ".routing.."};
    }
}

package io.hybridlake.azure;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hybridlake.RequiredComponent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The deployment (issue #6): the Bicep passes the offline check ({@code emulators/bicep-check.js}:
 * tree-sitter-bicep syntax, undeclared identifiers, module paths, parameters and outputs, API versions,
 * parameter files) — and the check is shown to catch such mistakes; every app setting the platform
 * reads on Azure (the azure/eventhubs-entra/functions-native profiles and the function.json bindings)
 * is provided by the Function App's Bicep, and no setting carries a secret.
 */
class AzureDeploymentTemplatesTest {
    private static final Path BICEP = Path.of("infra/bicep");
    private static final Pattern ENV_REF = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)(:[^}]*)?}");
    private static final Pattern BINDING_REF = Pattern.compile("%([A-Z][A-Z0-9_]*)%");

    @TempDir
    Path dir;

    private record Run(int exit, String out) {
    }

    private static Run check(Path templates) throws Exception {
        Process p = new ProcessBuilder("node", "emulators/bicep-check.js", templates.toString()).redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes());
        return new Run(p.waitFor(), out);
    }

    @Test
    void theTemplatesPassTheOfflineCheckWhichCatchesMistakes() throws Exception {
        RequiredComponent.require(Files.isDirectory(Path.of("emulators/node_modules/tree-sitter-bicep")),
                "tree-sitter-bicep is not installed: the build installs it with npm (emulators/install.sh)");
        Run good = check(BICEP);
        assertThat(good.exit()).as(good.out()).isZero();
        assertThat(good.out()).contains("8 file(s) OK");

        Path bad = dir.resolve("bicep");
        copy(BICEP, bad);
        replace(bad.resolve("main.bicep"), "identity.outputs.principalId", "identiti.outputs.principalId");
        replace(bad.resolve("main.bicep"), "modules/cosmos.bicep", "modules/cosmo.bicep");
        replace(bad.resolve("main.bicep"), "planSku: planSku", "planSku: planSku\n    plan: 'EP1'");
        replace(bad.resolve("main.bicep"), "identityClientId: identity.outputs.clientId", "identityClientId: identity.outputs.client");
        replace(bad.resolve("modules/keyvault.bicep"), "'Microsoft.KeyVault/vaults@2023-07-01'", "'Microsoft.KeyVault/vaults'");
        replace(bad.resolve("main.parameters.dev.json"), "\"partitions\"", "\"partition\"");
        Files.writeString(bad.resolve("modules/identity.bicep"), "param broken string = {\n", StandardOpenOption.APPEND);
        Run caught = check(bad);
        assertThat(caught.exit()).isEqualTo(1);
        assertThat(caught.out()).contains("'identiti' is not declared", "cosmo.bicep does not exist",
                "has no parameter 'plan'", "has no output 'client'", "needs <provider>/<type>@<api version>",
                "main.bicep has no parameter 'partition'", "identity.bicep:16: syntax error");
    }

    @Test
    void everySettingThePlatformReadsOnAzureIsProvidedAndNoneIsASecret() throws IOException {
        Set<String> read = new TreeSet<>();
        for (String line : Files.readAllLines(Path.of("src/main/resources/application.properties"))) {
            if (line.startsWith("%azure.") || line.startsWith("%eventhubs-entra.") || line.startsWith("%functions-native.")) {
                Matcher m = ENV_REF.matcher(line);
                while (m.find()) {
                    read.add(m.group(1));
                }
            }
        }
        read.remove("FUNCTIONS_CUSTOMHANDLER_PORT"); // set by the Functions host itself
        try (Stream<Path> functions = Files.list(Path.of("functions"))) {
            for (Path f : functions.map(d -> d.resolve("function.json")).filter(Files::exists).toList()) {
                String text = Files.readString(f);
                Matcher m = BINDING_REF.matcher(text);
                while (m.find()) {
                    read.add(m.group(1));
                }
                for (JsonNode b : new ObjectMapper().readTree(text).path("bindings")) {
                    if (b.has("connection")) { // identity-based connection: <name>__fullyQualifiedNamespace
                        read.add(b.get("connection").asText() + "__fullyQualifiedNamespace");
                    }
                }
            }
        }
        assertThat(read).contains("HYBRIDLAKE_LAKE_ROOT", "COSMOS_ENDPOINT", "EVENTHUBS_NAMESPACE", "MERGE_SCHEDULE",
                "EVENTHUBS_CONSUMER_GROUP", "EVENTHUBS__fullyQualifiedNamespace");
        String functionApp = Files.readString(BICEP.resolve("modules/functionapp.bicep"));
        Set<String> provided = new TreeSet<>();
        Matcher m = Pattern.compile("name: '([A-Za-z0-9_]+)'\\s*\\n\\s*value:").matcher(functionApp);
        while (m.find()) {
            provided.add(m.group(1));
        }
        assertThat(provided).containsAll(read).contains("FUNCTIONS_WORKER_RUNTIME", "QUARKUS_PROFILE", "AZURE_CLIENT_ID");
        for (String secret : List.of("AccountKey", "SharedAccessKey", "listKeys(", "password", "connectionString(")) {
            try (Stream<Path> files = Files.walk(BICEP)) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    assertThat(Files.readString(f)).as("%s carries no secret", f).doesNotContain(secret);
                }
            }
        }
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : files.toList()) {
                Path target = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target);
                }
            }
        }
    }

    private static void replace(Path file, String from, String to) throws IOException {
        String text = Files.readString(file);
        assertThat(text).contains(from);
        Files.writeString(file, text.replace(from, to));
    }
}

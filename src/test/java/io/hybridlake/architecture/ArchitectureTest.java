package io.hybridlake.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import org.junit.jupiter.api.Test;

/**
 * The production classes keep the architecture's rules ({@link Architecture}), and the rules are not
 * vacuous: a deliberately broken copy ({@code broken/}: a package cycle, a framework type in the
 * core and in a cloud adapter, delta-kernel outside the lake) breaks each one.
 */
class ArchitectureTest {
    @Test
    void theCodeBaseKeepsTheRules() {
        JavaClasses production = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.hybridlake");
        assertThat(production.size()).as("production classes imported").isGreaterThan(200);
        for (ArchRule rule : Architecture.rules("io.hybridlake")) {
            EvaluationResult result = rule.evaluate(production);
            assertThat(result.hasViolation()).as("%s:%n%s", rule.getDescription(),
                    String.join("\n", result.getFailureReport().getDetails())).isFalse();
        }
    }

    @Test
    void aBrokenCopyBreaksEveryRule() {
        JavaClasses broken = new ClassFileImporter().importPackages("io.hybridlake.architecture.broken");
        for (ArchRule rule : Architecture.rules("io.hybridlake.architecture.broken")) {
            assertThat(rule.evaluate(broken).hasViolation()).as(rule.getDescription()).isTrue();
        }
    }
}

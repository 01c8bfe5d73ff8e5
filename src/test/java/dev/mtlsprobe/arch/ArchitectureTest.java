package dev.mtlsprobe.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The shape of the code: packages without cycles, value types at the bottom, the composition root at the top,
 * the dev-mode demo out of every production package, and classes small enough to read in one sitting.
 */
class ArchitectureTest {

    static final String ROOT = "dev.mtlsprobe";
    static JavaClasses main;

    @BeforeAll
    static void importMainClasses() {
        main = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(ROOT);
    }

    @Test
    void packagesAreFreeOfCycles() {
        slices().matching(ROOT + ".(*)..").should().beFreeOfCycles().check(main);
    }

    @Test
    void theModelDependsOnNoOtherPackageOfOurs() {
        noClasses().that().resideInAPackage(ROOT + ".model..").should().dependOnClassesThat()
                .resideOutsideOfPackages(ROOT + ".model..", "java..", "io.quarkus.runtime.annotations..")
                .check(main);
    }

    @Test
    void nothingDependsOnTheCompositionRoot() {
        noClasses().that().resideOutsideOfPackage(ROOT + ".app..").should().dependOnClassesThat()
                .resideInAPackage(ROOT + ".app..").check(main);
    }

    @Test
    void productionCodeNeverReachesTheDemo() {
        noClasses().that().resideOutsideOfPackage(ROOT + ".demo..").should().dependOnClassesThat()
                .resideInAPackage(ROOT + ".demo..").check(main);
    }

    @Test
    void theProbeKnowsNothingOfConfigurationOrFrameworks() {
        noClasses().that().resideInAPackage(ROOT + ".probe..").should().dependOnClassesThat()
                .resideInAnyPackage(ROOT + ".config..", ROOT + ".pipeline..", ROOT + ".status..", ROOT + ".metrics..",
                        "io.quarkus..", "jakarta..")
                .check(main);
    }

    @Test
    void everyMainClassIsSmall() throws IOException {
        List<String> large;
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            large = files.filter(f -> f.toString().endsWith(".java")).filter(f -> lines(f) > 250)
                    .map(f -> f + ": " + lines(f) + " lines").sorted().toList();
        }
        assertEquals(List.of(), large, "classes over 250 lines do more than one job; split them");
    }

    private static long lines(Path f) {
        try (Stream<String> s = Files.lines(f)) {
            return s.count();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}

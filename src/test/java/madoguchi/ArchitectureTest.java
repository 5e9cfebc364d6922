package madoguchi;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/** The domain stays plain Java: no framework, driver, cache or SQL in it. */
class ArchitectureTest {
    private final JavaClasses main = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("madoguchi");

    @Test
    void domainImportsOnlyJava() {
        classes().that().resideInAPackage("madoguchi.domain..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("madoguchi.domain..", "java..")
                .check(main);
    }

    @Test
    void domainKnowsNoFrameworks() {
        noClasses().that().resideInAPackage("madoguchi.domain..")
                .should().dependOnClassesThat().resideInAnyPackage("io.vertx..", "com.twilio..",
                        "com.github.benmanes.caffeine..", "java.sql..", "javax.sql..", "org.postgresql..")
                .check(main);
    }

    @Test
    void onlyTheStoreSpeaksSql() {
        noClasses().that().resideOutsideOfPackages("madoguchi.store..", "madoguchi")
                .should().dependOnClassesThat().resideInAnyPackage("io.vertx.sqlclient..", "io.vertx.pgclient..", "java.sql..")
                .allowEmptyShould(true)
                .check(main);
    }
}

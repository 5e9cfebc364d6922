package madoguchi;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * The layers: the domain stays plain Java; the use cases in {@code app} know no adapter and no
 * web framework; the adapters ({@code http}, {@code telephony}) translate outcomes and reach the
 * database only through {@code app}'s ports; the store holds no words for people and no HTTP.
 */
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

    @Test
    void adaptersReachTheDatabaseOnlyThroughTheUseCases() {
        noClasses().that().resideInAnyPackage("madoguchi.http..", "madoguchi.telephony..")
                .should().dependOnClassesThat().resideInAPackage("madoguchi.store..")
                .check(main);
    }

    @Test
    void useCasesKnowNoAdapterAndNoWebFramework() {
        noClasses().that().resideInAPackage("madoguchi.app..")
                .should().dependOnClassesThat().resideInAnyPackage("madoguchi.http..", "madoguchi.telephony..",
                        "madoguchi.store..", "io.vertx.ext.web..", "com.twilio..")
                .check(main);
    }

    @Test
    void theStoreBuildsNoHttpBodiesAndNoWordsForPeople() {
        noClasses().that().resideInAPackage("madoguchi.store..")
                .should().dependOnClassesThat().resideInAnyPackage("madoguchi.http..", "madoguchi.telephony..",
                        "io.vertx.ext.web..", "com.twilio..")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("madoguchi.app.Words")
                .check(main);
    }

    @Test
    void httpAndThePhoneDoNotReachIntoEachOther() {
        noClasses().that().resideInAPackage("madoguchi.telephony..")
                .should().dependOnClassesThat().resideInAPackage("madoguchi.http..")
                .check(main);
    }

    @Test
    void theAllocatorRendersNothing() {
        // it decides and keeps decisions (KeptDecision); each channel renders them, also on a replay
        noClasses().that().resideInAPackage("madoguchi.app.booking..")
                .should().dependOnClassesThat().resideInAnyPackage("io.vertx.core.json..", "io.vertx.core.http..")
                .check(main);
    }

    @Test
    void onlyTheAllocatorUsesTheSeatLedger() {
        // every change of seats goes through the allocator's one door: named commands, decided by a shard
        noClasses().that().resideOutsideOfPackages("madoguchi.app.booking..", "madoguchi.domain..")
                .should().dependOnClassesThat().haveFullyQualifiedName("madoguchi.domain.SeatLedger")
                .check(main);
    }

    @Test
    void theCapabilitiesOfAppDoNotDependOnEachOtherInCircles() {
        com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices().matching("madoguchi.app.(*)..")
                .should().beFreeOfCycles()
                .check(main);
    }
}

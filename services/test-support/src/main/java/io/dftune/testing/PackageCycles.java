package io.dftune.testing;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.library.dependencies.SlicesRuleDefinition;
import java.net.URISyntaxException;
import java.util.Set;

/**
 * A module's packages must not import each other in a circle (a -> b -> a, or longer), so each
 * can be read, changed and tested on top of the ones below it. Call {@link #assertNoneUnder} from
 * a test of the module; its main classes are checked, its tests are not.
 */
public final class PackageCycles {
    private PackageCycles() {}

    /**
     * The main classes of the module that holds {@code root}, in {@code root}'s package and below,
     * read from where {@code root} was loaded (the module's classes folder or jar, not the whole
     * class path), for further ArchUnit rules of the module's own.
     */
    public static JavaClasses mainClasses(Class<?> root) {
        return mainClasses(root.getPackageName(), root);
    }

    /** As {@link #mainClasses(Class)}, in {@code rootPackage} and below, of the module that holds {@code member}. */
    public static JavaClasses mainClasses(String rootPackage, Class<?> member) {
        try {
            Location module = Location.of(
                    member.getProtectionDomain().getCodeSource().getLocation().toURI());
            return new ClassFileImporter()
                    .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                    .withImportOption(location -> location.contains(rootPackage.replace('.', '/')))
                    .importLocations(Set.of(module));
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot locate the classes of " + member, e);
        }
    }

    /**
     * Fails, naming the classes whose imports make each cycle, when two packages of the module
     * that holds {@code root} depend on each other directly or through others; {@code root}'s
     * package and every package below it are checked.
     */
    public static void assertNoneUnder(Class<?> root) {
        assertNoneIn(root.getPackageName(), mainClasses(root));
    }

    /** As {@link #assertNoneUnder(Class)} for a module whose root package holds no class: {@code member} locates it. */
    public static void assertNoneUnder(String rootPackage, Class<?> member) {
        assertNoneIn(rootPackage, mainClasses(rootPackage, member));
    }

    static void assertNoneIn(String rootPackage, JavaClasses classes) {
        if (classes.isEmpty()) {
            throw new AssertionError("no classes found under " + rootPackage);
        }
        int dot = rootPackage.lastIndexOf('.');
        // One slice per package: "(**)" captures the whole package name below the parent.
        String eachPackage = (dot < 0 ? "" : rootPackage.substring(0, dot + 1)) + "(**)";
        SlicesRuleDefinition.slices()
                .matching(eachPackage)
                .should()
                .beFreeOfCycles()
                .check(classes);
    }
}

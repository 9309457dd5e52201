package org.remcg;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.equivalentTo;
import static com.tngtech.archunit.core.domain.properties.HasName.Predicates.nameStartingWith;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.Architectures.LayeredArchitecture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.remcg.io.DataFormatException;

/**
 * Which package of remcg-core may use which: the "may use" column of docs/ARCHITECTURE.md, checked
 * against the compiled classes (ArchUnit) and against the document itself.
 *
 * <p>The rules in words: {@code units}, {@code numeric} and {@code parallel} use nothing; {@code system} only
 * those; {@code io} reads and writes files and knows no science beyond the system it stores (frames, boxes,
 * topologies); {@code model} (the force field) uses the system's interaction kinds and reads its own model file
 * through {@code io}; {@code mapping}, {@code observe} and {@code optimize} build on them (the optimizer's checkpoint
 * is read and written through {@code io}), and {@code observe} uses no engine; the engine
 * ({@code simulate}) needs the force field and the system, and reads or writes no files (it uses {@code io} only
 * for the {@code Frame} record in which its sampled frames go to the {@code observe} accumulators); {@code fit}, {@code density} and
 * {@code dynamics} are the applications on top, which no package below uses and which do not use one
 * another; nothing in the core uses the CLI ({@code org.remcg.cli}, a layer of its own that no core
 * package may reach; the module graph forbids it too). Every package of the core must have a row.
 */
class ArchitectureTest {

    /** The packages of remcg-core (under org.remcg) and the packages each may use besides itself. */
    static final Map<String, List<String>> MAY_USE = new LinkedHashMap<>();

    static {
        MAY_USE.put("units", List.of());
        MAY_USE.put("numeric", List.of());
        MAY_USE.put("parallel", List.of());
        MAY_USE.put("system", List.of("numeric", "units"));
        MAY_USE.put("model", List.of("io", "numeric", "system", "units"));
        MAY_USE.put("io", List.of("parallel", "system", "units"));
        MAY_USE.put("mapping", List.of("io", "numeric", "system", "units"));
        MAY_USE.put("observe", List.of("io", "mapping", "model", "numeric", "parallel", "system", "units"));
        MAY_USE.put("optimize", List.of("io", "model", "numeric", "observe", "parallel", "system", "units"));
        MAY_USE.put("simulate", List.of("io", "model", "numeric", "observe", "parallel", "system", "units"));
        MAY_USE.put("fit", List.of("io", "mapping", "model", "numeric", "observe", "optimize", "parallel", "simulate", "system", "units"));
        MAY_USE.put("density", List.of("io", "model", "numeric", "observe", "optimize", "parallel", "system", "units"));
        MAY_USE.put("dynamics", List.of("io", "model", "numeric", "optimize", "parallel", "system", "units"));
    }

    /**
     * The layers, with the one dependency that breaks them today: {@code system.GromacsTopology}
     * reports file errors as {@code io.DataFormatException} (a reader of topology files in the system
     * package; moving it to io would change the CLI's imports).
     */
    static LayeredArchitecture layers() {
        LayeredArchitecture arch = layeredArchitecture().consideringOnlyDependenciesInAnyPackage("org.remcg..");
        for (String p : MAY_USE.keySet()) {
            arch = arch.layer(p).definedBy("org.remcg." + p + "..");
        }
        arch = arch.optionalLayer("cli").definedBy("org.remcg.cli..");
        for (Map.Entry<String, List<String>> e : MAY_USE.entrySet()) {
            arch = e.getValue().isEmpty() ? arch.whereLayer(e.getKey()).mayNotAccessAnyLayer()
                    : arch.whereLayer(e.getKey()).mayOnlyAccessLayers(e.getValue().toArray(new String[0]));
        }
        return arch.whereLayer("cli").mayNotBeAccessedByAnyLayer()
                .ensureAllClassesAreContainedInArchitecture()
                .ignoreDependency(nameStartingWith("org.remcg.system.GromacsTopology"),
                        equivalentTo(DataFormatException.class));
    }

    @Test
    void packagesUseOnlyWhatTheirRowAllows() {
        JavaClasses core = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("org.remcg");
        layers().check(core);
    }

    /** The package table of docs/ARCHITECTURE.md states the same rules. */
    @Test
    void theArchitectureDocumentHasTheSameMayUseColumn() throws Exception {
        String doc = Files.readString(Path.of("..", "docs", "ARCHITECTURE.md"));
        int from = doc.indexOf("## Packages of remcg-core");
        String table = doc.substring(from, doc.indexOf("\n## ", from + 1));
        Map<String, TreeSet<String>> documented = new TreeMap<>();
        Matcher row = Pattern.compile("(?m)^\\| `(\\w+)`[^|]*\\|.*\\| ([^|]*) \\|$").matcher(table);
        while (row.find()) {
            TreeSet<String> uses = new TreeSet<>();
            Matcher name = Pattern.compile("`(\\w+)`").matcher(row.group(2));
            while (name.find()) {
                uses.add(name.group(1));
            }
            TreeSet<String> before = documented.put(row.group(1), uses);
            if (before != null) {
                assertEquals(before, uses, "two rows of " + row.group(1) + " disagree");
            }
        }
        Map<String, TreeSet<String>> tested = new TreeMap<>();
        MAY_USE.forEach((p, uses) -> tested.put(p, new TreeSet<>(uses)));
        assertEquals(tested, documented);
    }
}

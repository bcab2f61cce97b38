package storefront;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The package rules of CONTRIBUTING.md, read from the imports of src/main: the domain's one-way
 * order, web and common below it, and the tools apart from the node and the entities.
 */
class PackageRulesTest {
  private static final Path SOURCES = Path.of("src", "main", "java");
  private static final Pattern PACKAGE = Pattern.compile("^package ([\\w.]+);", Pattern.MULTILINE);
  private static final Pattern IMPORT =
      Pattern.compile("^import (?:static )?([\\w.]+);", Pattern.MULTILINE);

  /**
   * Entity packages, each allowed to use only those after it: cart → order → inventory → catalog.
   */
  private static final List<String> DOMAIN_ORDER = List.of("cart", "order", "inventory", "catalog");

  /** What the tools may use of the node: its way to the database, nothing that runs in it. */
  private static final Set<String> NODE_CLASSES_FOR_TOOLS =
      Set.of("storefront.node.DatabaseClient", "storefront.node.NodeConfig");

  /**
   * The benchmark's entity phases join the cluster as a member without the shop role and ask the
   * entities through sharding, to measure them without HTTP in front: the one tool that uses them.
   */
  private static final String ENTITY_BENCHMARK = "storefront.tools.benchmark";

  private static final Map<String, Set<String>> IMPORTS = importsByFile();

  @Test
  void theDomainOnlyUsesPackagesAfterItsOwn() {
    List<String> broken = new ArrayList<>();
    IMPORTS.forEach(
        (file, imports) -> {
          String from = topPackage(file);
          int rank = DOMAIN_ORDER.indexOf(from);
          if (rank < 0) {
            return;
          }
          for (String imported : imports) {
            int importedRank = DOMAIN_ORDER.indexOf(topPackage(imported));
            if (importedRank >= 0 && importedRank < rank) {
              broken.add(file + " uses " + imported);
            }
          }
        });
    assertEquals(List.of(), broken);
  }

  @Test
  void webAndCommonUseNoDomainPackage() {
    Set<String> domain = Set.of("cart", "order", "inventory", "catalog", "notification", "live");
    List<String> broken = new ArrayList<>();
    IMPORTS.forEach(
        (file, imports) -> {
          if (!Set.of("web", "common").contains(topPackage(file))) {
            return;
          }
          imports.stream()
              .filter(imported -> domain.contains(topPackage(imported)))
              .forEach(imported -> broken.add(file + " uses " + imported));
        });
    assertEquals(List.of(), broken);
  }

  @Test
  void toolsTalkToNodesOverHttpAndTheDatabaseOnly() {
    List<String> broken = new ArrayList<>();
    IMPORTS.forEach(
        (file, imports) -> {
          if (!file.startsWith("storefront.tools.")) {
            return;
          }
          for (String imported : imports) {
            boolean entity = DOMAIN_ORDER.contains(topPackage(imported));
            boolean node =
                imported.startsWith("storefront.node.")
                    && !NODE_CLASSES_FOR_TOOLS.contains(imported);
            if (node || (entity && !file.startsWith(ENTITY_BENCHMARK + "."))) {
              broken.add(file + " uses " + imported);
            }
          }
        });
    assertEquals(List.of(), broken);
  }

  @Test
  void nothingInANodeUsesATool() {
    List<String> broken = new ArrayList<>();
    IMPORTS.forEach(
        (file, imports) -> {
          if (file.startsWith("storefront.tools.") || file.equals("storefront.Main")) {
            return;
          }
          imports.stream()
              .filter(imported -> imported.startsWith("storefront.tools."))
              .forEach(imported -> broken.add(file + " uses " + imported));
        });
    assertEquals(List.of(), broken);
  }

  @Test
  void theRulesSeeTheSources() {
    assertFalse(IMPORTS.isEmpty(), "no sources under " + SOURCES.toAbsolutePath());
  }

  private static String topPackage(String qualifiedName) {
    return qualifiedName.substring(0, qualifiedName.indexOf('.'));
  }

  /** Each main class (package.Class) with the project classes it imports. */
  private static Map<String, Set<String>> importsByFile() {
    Map<String, Set<String>> imports = new TreeMap<>();
    try (Stream<Path> files = Files.walk(SOURCES)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
        String source = Files.readString(file);
        Matcher pkg = PACKAGE.matcher(source);
        if (!pkg.find()) {
          continue;
        }
        String name = file.getFileName().toString();
        String className = pkg.group(1) + "." + name.substring(0, name.length() - 5);
        Set<String> own = new TreeSet<>();
        Matcher imported = IMPORT.matcher(source);
        while (imported.find()) {
          own.add(imported.group(1));
        }
        imports.put(className, own);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return imports;
  }
}

package storefront;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BiPredicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The package rules of CONTRIBUTING.md, read from the compiled main classes by the JDK's jdeps: a
 * use counts however it is written (import, wildcard or full name) and whichever nested class makes
 * it. What leaves no trace: constants the compiler copies into the user (static final strings and
 * numbers) and class literals in annotations (Main's table of picocli commands).
 */
class PackageRulesTest {
  private static final Path CLASSES = Path.of("target", "classes");

  /**
   * Entity packages, each allowed to use only those after it: cart → order → inventory → catalog.
   */
  private static final List<String> DOMAIN_ORDER = List.of("cart", "order", "inventory", "catalog");

  /**
   * All the tools may use of what runs in a node: the way to its database (client, pool) and the
   * password hash the users table stores.
   */
  private static final Set<String> NODE_CLASSES_FOR_TOOLS =
      Set.of(
          "storefront.node.DatabaseClient",
          "storefront.node.NodeConfig",
          "common.DatabasePool",
          "auth.Passwords");

  /**
   * The benchmark's entity phases join the cluster as a member without the shop role and ask the
   * entities through sharding, to measure them without HTTP in front: the one tool code that uses
   * them.
   */
  private static final Set<String> ENTITY_BENCHMARK =
      Set.of("storefront.tools.benchmark.EntityPhases", "storefront.tools.benchmark.LoadMember");

  private static final Pattern DEPENDENCY =
      Pattern.compile("^\\s+([\\w.$]+)\\s+->\\s+([\\w.$]+)\\s", Pattern.MULTILINE);

  /**
   * Each main class (nested ones counted as their top-level class) with the project classes it
   * uses.
   */
  private static final Map<String, Set<String>> USES = projectDependencies();

  @Test
  void theDomainOnlyUsesPackagesAfterItsOwn() {
    assertEquals(
        List.of(),
        broken(
            (from, to) -> {
              int rank = DOMAIN_ORDER.indexOf(topPackage(from));
              int usedRank = DOMAIN_ORDER.indexOf(topPackage(to));
              return rank >= 0 && usedRank >= 0 && usedRank < rank;
            }));
  }

  @Test
  void webAndCommonUseNoDomainPackage() {
    Set<String> domain = Set.of("cart", "order", "inventory", "catalog", "notification", "live");
    assertEquals(
        List.of(),
        broken(
            (from, to) ->
                Set.of("web", "common").contains(topPackage(from))
                    && domain.contains(topPackage(to))));
  }

  @Test
  void toolsTalkToNodesOverHttpAndTheDatabaseOnly() {
    assertEquals(
        List.of(),
        broken(
            (from, to) -> {
              if (!from.startsWith("storefront.tools.") || to.startsWith("storefront.tools.")) {
                return false;
              }
              boolean entityBenchmark =
                  ENTITY_BENCHMARK.contains(from) && !to.startsWith("storefront.");
              return !NODE_CLASSES_FOR_TOOLS.contains(to) && !entityBenchmark;
            }));
  }

  @Test
  void nothingInANodeUsesATool() {
    assertEquals(
        List.of(),
        broken(
            (from, to) ->
                !from.startsWith("storefront.tools.")
                    && !from.equals("storefront.Main")
                    && to.startsWith("storefront.tools.")));
  }

  @Test
  void theDomainKnowsNotTheNodeThatWiresIt() {
    assertEquals(
        List.of(),
        broken((from, to) -> !from.startsWith("storefront.") && to.startsWith("storefront.")));
  }

  @Test
  void storefrontItselfHoldsOnlyMain() {
    assertEquals(
        Set.of("storefront.Main"),
        USES.keySet().stream()
            .filter(name -> name.lastIndexOf('.') == "storefront".length())
            .filter(name -> name.startsWith("storefront."))
            .collect(Collectors.toSet()));
  }

  @Test
  void theRulesSeeTheClassesAndWhatTheyUse() {
    assertTrue(
        USES.getOrDefault("storefront.node.Entities", Set.of()).contains("cart.ShoppingCart"),
        "jdeps found no use of ShoppingCart by the node's Entities among " + USES.size());
    assertTrue(
        USES.getOrDefault("cart.ShoppingCart", Set.of()).contains("order.OrderPlacement"),
        "jdeps found no use of OrderPlacement by ShoppingCart");
  }

  private static List<String> broken(BiPredicate<String, String> rule) {
    List<String> broken = new ArrayList<>();
    USES.forEach(
        (from, used) ->
            used.stream()
                .filter(to -> rule.test(from, to))
                .forEach(to -> broken.add(from + " uses " + to)));
    return broken;
  }

  private static String topPackage(String qualifiedName) {
    return qualifiedName.substring(0, qualifiedName.indexOf('.'));
  }

  private static String topLevelClass(String className) {
    int nested = className.indexOf('$');
    return nested < 0 ? className : className.substring(0, nested);
  }

  private static Map<String, Set<String>> projectDependencies() {
    StringWriter out = new StringWriter();
    StringWriter errors = new StringWriter();
    int exit =
        ToolProvider.findFirst("jdeps")
            .orElseThrow(() -> new IllegalStateException("no jdeps in this JDK"))
            .run(
                new PrintWriter(out),
                new PrintWriter(errors),
                "-verbose:class",
                "-filter:none",
                CLASSES.toString());
    assertEquals(0, exit, "jdeps failed: " + errors);
    Map<String, Set<String>> uses = new TreeMap<>();
    Matcher dependency = DEPENDENCY.matcher(out.toString());
    while (dependency.find()) {
      uses.computeIfAbsent(topLevelClass(dependency.group(1)), from -> new TreeSet<>())
          .add(topLevelClass(dependency.group(2)));
    }
    // Only the project's own classes: those jdeps read from target/classes.
    Set<String> packages = new TreeSet<>();
    uses.keySet().forEach(name -> packages.add(topPackage(name)));
    uses.values().forEach(used -> used.removeIf(to -> !packages.contains(topPackage(to))));
    uses.forEach((from, used) -> used.remove(from));
    return uses;
  }
}

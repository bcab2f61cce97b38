package storefront;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.dialect.Dialects;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The API's contract, src/main/resources/openapi.json, as the tests hold the node to it: which
 * operations it documents, and whether a response is one the document allows (a documented status,
 * its media type, headers and schema; the schemas checked by networknt's JSON Schema validator in
 * the OpenAPI 3.1 dialect).
 */
final class Contract {
  static final String RESOURCE = "openapi.json";

  /** The one document of the test JVM; its schemas are compiled once, on first use. */
  static final Contract DOCUMENT = load();

  // akka-http's own rejection texts: the router found no route for the path, or not this method.
  private static final String NO_SUCH_PATH = "The requested resource could not be found.";
  private static final String NO_SUCH_METHOD = "HTTP method not allowed, supported methods: ";

  private static final String UUID =
      "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}";

  private final JsonNode document;
  private final List<Operation> operations;
  // Formats (uuid, date-time) are only annotations in JSON Schema 2020-12 unless asserted.
  private final SchemaRegistry registry =
      SchemaRegistry.withDialect(
          Dialects.getOpenApi31(),
          builder ->
              builder.schemaRegistryConfig(
                  SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build()));
  private final Map<String, Schema> schemas = new ConcurrentHashMap<>();

  /** One documented operation: a method on a path template, such as GET /carts/{cartId}. */
  record Operation(String method, String path, JsonNode definition) {
    boolean matches(String requestPath) {
      return template(path).matcher(requestPath).matches();
    }

    /** The security schemes any of which it accepts; none for a public operation. */
    List<String> securitySchemes() {
      List<String> schemes = new ArrayList<>();
      definition
          .path("security")
          .forEach(requirement -> requirement.fieldNames().forEachRemaining(schemes::add));
      return schemes;
    }

    boolean hasBody() {
      return definition.has("requestBody");
    }

    /** Whether it answers a server-sent event stream, which does not end by itself. */
    boolean streams() {
      return definition.path("responses").path("200").path("content").has("text/event-stream");
    }

    @Override
    public String toString() {
      return method + " " + path;
    }
  }

  private Contract(JsonNode document) {
    this.document = document;
    List<Operation> all = new ArrayList<>();
    document
        .path("paths")
        .fields()
        .forEachRemaining(
            path ->
                path.getValue()
                    .fields()
                    .forEachRemaining(
                        operation ->
                            all.add(
                                new Operation(
                                    operation.getKey().toUpperCase(),
                                    path.getKey(),
                                    operation.getValue()))));
    // Where templates overlap, the one with more literal segments is the more specific.
    all.sort(Comparator.comparingLong((Operation o) -> literalSegments(o.path())).reversed());
    this.operations = List.copyOf(all);
  }

  private static Contract load() {
    try (InputStream in = Contract.class.getClassLoader().getResourceAsStream(RESOURCE)) {
      return new Contract(new ObjectMapper().readTree(in));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  List<Operation> operations() {
    return operations;
  }

  /** The documented paths, templates as written. */
  List<String> paths() {
    return operations.stream().map(Operation::path).distinct().toList();
  }

  Optional<Operation> operation(String method, String requestPath) {
    String path = withoutTrailingSlash(requestPath);
    return operations.stream()
        .filter(o -> o.method().equals(method) && o.matches(path))
        .findFirst();
  }

  boolean documentsPath(String requestPath) {
    String path = withoutTrailingSlash(requestPath);
    return operations.stream().anyMatch(o -> o.matches(path));
  }

  /**
   * What is wrong with this answer to method and path (the raw path, without the query), or empty
   * when the document allows it. A request the document does not know must have been answered by
   * the router's "no such route" rejection.
   */
  Optional<String> violation(
      String method,
      String requestPath,
      int status,
      String contentType,
      Map<String, List<String>> headers,
      String body) {
    Optional<Operation> operation = operation(method, requestPath);
    if (operation.isEmpty()) {
      return isNoRoute(status, body)
          ? Optional.empty()
          : Optional.of(
              "answered "
                  + status
                  + " to "
                  + method
                  + " "
                  + requestPath
                  + ", which the document does not have: "
                  + body);
    }
    String responsePointer =
        "/paths/" + escape(operation.get().path()) + "/" + method.toLowerCase();
    JsonNode response = operation.get().definition().path("responses").path(String.valueOf(status));
    responsePointer += "/responses/" + status;
    if (response.isMissingNode()) {
      return Optional.of(operation.get() + " answered " + status + ", not documented: " + body);
    }
    if (response.has("$ref")) {
      responsePointer = response.get("$ref").asText().substring(1);
      response = document.at(responsePointer);
    }
    Optional<String> missingHeader = missingHeader(response, headers);
    if (missingHeader.isPresent()) {
      return Optional.of(
          operation.get() + " " + status + " lacks the header " + missingHeader.get());
    }
    String mediaType = contentType.split(";")[0].trim();
    JsonNode content = response.path("content");
    if (!content.has(mediaType)) {
      return Optional.of(
          operation.get() + " " + status + " answered " + contentType + ", documented " + content);
    }
    String schemaPointer = responsePointer + "/content/" + escape(mediaType) + "/schema";
    // A text body (the Prometheus metrics) is held to its schema as a JSON string.
    String instance =
        !isJson(mediaType) ? TextNode.valueOf(body).toString() : body.isEmpty() ? "null" : body;
    List<com.networknt.schema.Error> errors =
        schema(schemaPointer).validate(instance, InputFormat.JSON);
    return errors.isEmpty()
        ? Optional.empty()
        : Optional.of(operation.get() + " " + status + " does not match its schema: " + errors);
  }

  private static boolean isJson(String mediaType) {
    return mediaType.equals("application/json") || mediaType.endsWith("+json");
  }

  /** Whether this is the router's own answer that it has no route for the method and path. */
  static boolean isNoRoute(int status, String body) {
    return (status == 404 && body.contains(NO_SUCH_PATH))
        || (status == 405 && body.contains(NO_SUCH_METHOD));
  }

  private static Optional<String> missingHeader(
      JsonNode response, Map<String, List<String>> headers) {
    List<String> missing = new ArrayList<>();
    response
        .path("headers")
        .fields()
        .forEachRemaining(
            header -> {
              boolean present =
                  headers.keySet().stream()
                      .anyMatch(name -> name.equalsIgnoreCase(header.getKey()));
              if (header.getValue().path("required").asBoolean() && !present) {
                missing.add(header.getKey());
              }
            });
    return missing.stream().findFirst();
  }

  private Schema schema(String pointer) {
    return schemas.computeIfAbsent(
        pointer,
        p ->
            registry.getSchema(
                SchemaLocation.of(
                    "classpath:"
                        + RESOURCE
                        + "#"
                        + URLEncoder.encode(p, StandardCharsets.UTF_8)
                            .replace("%2F", "/")
                            .replace("%7E", "~"))));
  }

  /** A path template as one segment of a JSON pointer. */
  private static String escape(String token) {
    return token.replace("~", "~0").replace("/", "~1");
  }

  /** Every path parameter of this API is a UUID: the router matches nothing else there. */
  private static Pattern template(String path) {
    StringBuilder regex = new StringBuilder();
    for (String segment : path.substring(1).split("/", -1)) {
      regex.append('/');
      regex.append(segment.startsWith("{") ? UUID : Pattern.quote(segment));
    }
    return Pattern.compile(regex.toString());
  }

  private static long literalSegments(String path) {
    return Arrays.stream(path.split("/")).filter(s -> !s.startsWith("{")).count();
  }

  private static String withoutTrailingSlash(String path) {
    return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
  }
}

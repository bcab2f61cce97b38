package web;

import akka.http.javadsl.model.ContentTypes;
import akka.http.javadsl.model.HttpMethod;
import akka.http.javadsl.model.StatusCode;
import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.server.AllDirectives;
import akka.http.javadsl.server.Route;
import akka.http.javadsl.unmarshalling.StringUnmarshallers;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import common.RequestKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Base of every domain's routes: strict JSON bodies in, JSON out, failures left to the one problem
 * mapping in {@link Problems}.
 */
public abstract class ApiRoutes extends AllDirectives {
  private static final int MAX_PAGE_SIZE = 100;
  private static final String IDEMPOTENCY_KEY = "Idempotency-Key";
  private static final int MAX_KEY_LENGTH = 255;
  private static final Pattern PRINTABLE = Pattern.compile("[\\x21-\\x7e]+");

  protected final Json json;
  protected final ApiSettings settings;
  protected final Access access;
  private final List<Endpoint> endpoints = new ArrayList<>();

  protected ApiRoutes(Json json, ApiSettings settings) {
    this.json = json;
    this.settings = settings;
    this.access = new Access(settings.authenticator());
  }

  /** This domain's routes; each operation among them is built with {@link #on}. */
  public abstract Route routes();

  /**
   * The operations {@link #routes} serves. Declared as fields, they are all known once the object
   * exists, while akka-http builds inner routes only when a request reaches them.
   */
  public final List<Endpoint> endpoints() {
    return List.copyOf(endpoints);
  }

  /** Declares one operation of this domain, to be routed with {@link #on}. */
  protected final Endpoint endpoint(HttpMethod method, String path) {
    Endpoint endpoint = new Endpoint(method, path);
    endpoints.add(endpoint);
    return endpoint;
  }

  /** The route of a declared operation: its method, where the path directives put it. */
  protected final Route on(Endpoint endpoint, Supplier<Route> inner) {
    return method(endpoint.method(), inner);
  }

  /** Reads the body as JSON of the given type, refusing what a strict reader refuses. */
  protected <T> Route jsonBody(Class<T> type, Function<T, Route> inner) {
    return strictBody(body -> inner.apply(parse(body, type)));
  }

  /**
   * The body as {@link #jsonBody} reads it, with the request's Idempotency-Key, if it has one, and
   * the fingerprint of method, path and this body.
   */
  protected <T> Route keyedJsonBody(
      Class<T> type, BiFunction<T, Optional<RequestKey>, Route> inner) {
    return strictBody(body -> requestKey(body, key -> inner.apply(parse(body, type), key)));
  }

  /** The Idempotency-Key of a request without a body (its fingerprint: method and path). */
  protected Route requestKey(Function<Optional<RequestKey>, Route> inner) {
    return requestKey(new byte[0], inner);
  }

  private Route requestKey(byte[] body, Function<Optional<RequestKey>, Route> inner) {
    return idempotencyKey(
        key ->
            extractRequest(
                request ->
                    inner.apply(
                        key.map(
                            k ->
                                new RequestKey(
                                    k,
                                    fingerprint(
                                        request.method().value(),
                                        request.getUri().path(),
                                        body))))));
  }

  /**
   * The checked Idempotency-Key alone, for a route that fingerprints the request itself (a
   * registration must not fingerprint its password).
   */
  protected Route idempotencyKey(Function<Optional<String>, Route> inner) {
    return optionalHeaderValueByName(
        IDEMPOTENCY_KEY, header -> inner.apply(header.map(ApiRoutes::checkedKey)));
  }

  private static String checkedKey(String key) {
    if (key.isEmpty() || key.length() > MAX_KEY_LENGTH || !PRINTABLE.matcher(key).matches()) {
      throw HttpProblem.malformed(
          IDEMPOTENCY_KEY + " must have 1 to " + MAX_KEY_LENGTH + " printable ASCII characters");
    }
    return key;
  }

  private static String fingerprint(String method, String path, byte[] body) {
    return fingerprint(method + " " + path + "\n" + new String(body, StandardCharsets.UTF_8));
  }

  /** SHA-256 of the text, in hex: what a request key remembers of its request. */
  protected static String fingerprint(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  private Route strictBody(Function<byte[], Route> inner) {
    return extractRequestEntity(
        entity -> {
          if (!entity.getContentType().equals(ContentTypes.APPLICATION_JSON)) {
            throw new HttpProblem(
                StatusCodes.UNSUPPORTED_MEDIA_TYPE, "the body must be application/json");
          }
          if (entity.getContentLengthOption().orElse(0L) > settings.maxBodyBytes()) {
            throw new HttpProblem(
                StatusCodes.PAYLOAD_TOO_LARGE,
                "the body is larger than " + settings.maxBodyBytes() + " bytes");
          }
          return extractMaterializer(
              materializer ->
                  onSuccess(
                      entity.toStrict(
                          settings.askTimeout().toMillis(), settings.maxBodyBytes(), materializer),
                      strict -> inner.apply(strict.getData().toArray())));
        });
  }

  private <T> T parse(byte[] body, Class<T> type) {
    if (body.length == 0) {
      throw HttpProblem.malformed("the body is empty; a JSON object was expected");
    }
    try {
      T value = json.mapper().readValue(body, type);
      if (value == null) {
        throw HttpProblem.malformed("a JSON object was expected");
      }
      return value;
    } catch (UnrecognizedPropertyException e) {
      throw HttpProblem.malformed("unknown field '" + e.getPropertyName() + "'");
    } catch (InputCoercionException e) {
      throw HttpProblem.invalid("number out of range: " + e.getOriginalMessage());
    } catch (JsonParseException e) {
      throw HttpProblem.malformed("malformed JSON: " + e.getOriginalMessage());
    } catch (JsonMappingException e) {
      if (e.getCause() instanceof InputCoercionException coercion) {
        throw HttpProblem.invalid("number out of range: " + coercion.getOriginalMessage());
      }
      throw HttpProblem.malformed(
          "wrong type at '" + e.getPathReference() + "': " + e.getOriginalMessage());
    } catch (IOException e) {
      throw HttpProblem.malformed("unreadable body: " + e.getMessage());
    }
  }

  /** Completes with the stage's value as JSON; a failed stage becomes a problem response. */
  protected Route completeJson(StatusCode status, CompletionStage<?> result) {
    return onSuccess(result, value -> complete(status, value, json.marshaller()));
  }

  protected Route completeJson(CompletionStage<?> result) {
    return completeJson(StatusCodes.OK, result);
  }

  /** page (from 0) and size (1..100) query parameters: 400 when not numbers, 422 out of range. */
  protected Route paging(java.util.function.BiFunction<Integer, Integer, Route> inner) {
    return parameterOptional(
        StringUnmarshallers.INTEGER,
        "page",
        page ->
            parameterOptional(
                StringUnmarshallers.INTEGER,
                "size",
                size -> {
                  int pageNumber = page.orElse(0);
                  int pageSize = size.orElse(20);
                  if (pageNumber < 0) {
                    throw HttpProblem.invalid("page must not be negative");
                  }
                  if (pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
                    throw HttpProblem.invalid("size must be between 1 and " + MAX_PAGE_SIZE);
                  }
                  return inner.apply(pageNumber, pageSize);
                }));
  }

  /** A required field of a request body, refused with 422 when absent. */
  protected static <T> T required(T value, String field) {
    if (value == null) {
      throw HttpProblem.invalid("'" + field + "' is required");
    }
    return value;
  }
}

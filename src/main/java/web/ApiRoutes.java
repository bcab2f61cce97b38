package web;

import akka.http.javadsl.model.ContentTypes;
import akka.http.javadsl.model.StatusCode;
import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.server.AllDirectives;
import akka.http.javadsl.server.Route;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import java.io.IOException;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * Base of every domain's routes: strict JSON bodies in, JSON out, failures left to the one problem
 * mapping in {@link Problems}.
 */
public abstract class ApiRoutes extends AllDirectives {
  protected final Json json;
  protected final ApiSettings settings;

  protected ApiRoutes(Json json, ApiSettings settings) {
    this.json = json;
    this.settings = settings;
  }

  /** Reads the body as JSON of the given type, refusing what a strict reader refuses. */
  protected <T> Route jsonBody(Class<T> type, Function<T, Route> inner) {
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
                      strict -> inner.apply(parse(strict.getData().toArray(), type))));
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

  /** A required field of a request body, refused with 422 when absent. */
  protected static <T> T required(T value, String field) {
    if (value == null) {
      throw HttpProblem.invalid("'" + field + "' is required");
    }
    return value;
  }
}

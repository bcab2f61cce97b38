package web;

import akka.http.javadsl.model.HttpEntity;
import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.StatusCode;
import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.model.headers.RawHeader;
import akka.http.javadsl.server.Directives;
import akka.http.javadsl.server.ExceptionHandler;
import akka.http.javadsl.server.RejectionHandler;
import akka.http.javadsl.server.Route;
import akka.http.scaladsl.model.EntityStreamSizeException;
import akka.pattern.AskTimeoutException;
import common.Failures;
import common.Rejection;
import io.r2dbc.spi.R2dbcException;
import io.r2dbc.spi.R2dbcNonTransientResourceException;
import io.r2dbc.spi.R2dbcTransientException;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where failures become problem+json responses with a status that tells the truth:
 * 400 malformed, 404 unknown, 409 conflict, 413 too large, 422 invalid value, 503 when an entity or
 * the database did not answer in time.
 */
public final class Problems {
  private static final Logger log = LoggerFactory.getLogger(Problems.class);

  private static final String BEARER_CHALLENGE = "Bearer realm=\"storefront\"";

  private final Json json;

  public Problems(Json json) {
    this.json = json;
  }

  public Route handle(Route route) {
    return Directives.handleExceptions(
        exceptionHandler(), () -> Directives.handleRejections(rejectionHandler(), () -> route));
  }

  /**
   * What akka-http answers, instead of its plain text, when a request runs past its request-timeout
   * (http.conf); set by HttpMetrics.timed, which counts it.
   */
  public HttpResponse requestTimedOut(HttpRequest request) {
    StatusCode status = StatusCodes.SERVICE_UNAVAILABLE;
    return ProblemDetail.of(
            status,
            "the request did not finish within the server's time limit; it may still take effect,"
                + " so repeat a change with the same Idempotency-Key")
        .toResponse(status, json.mapper());
  }

  ExceptionHandler exceptionHandler() {
    return ExceptionHandler.newBuilder()
        .matchAny(error -> complete(Failures.unwrapped(error)))
        .build();
  }

  RejectionHandler rejectionHandler() {
    return RejectionHandler.defaultHandler()
        .mapRejectionResponse(
            response -> {
              if (response.entity().getContentType().equals(ProblemDetail.PROBLEM_JSON)) {
                return response;
              }
              String detail = strictText(response.entity());
              return ProblemDetail.of(response.status(), detail)
                  .toResponse(response.status(), json.mapper());
            });
  }

  private Route complete(Throwable error) {
    StatusCode status;
    String detail;
    if (error instanceof HttpProblem problem) {
      status = problem.status();
      detail = problem.getMessage();
    } else if (error instanceof Rejection.RejectedException rejected) {
      status = statusOf(rejected.rejection().kind());
      detail = rejected.rejection().reason();
    } else if (error instanceof EntityStreamSizeException) {
      status = StatusCodes.PAYLOAD_TOO_LARGE;
      detail = "the body is larger than the API accepts";
    } else if (error instanceof AskTimeoutException || error instanceof TimeoutException) {
      status = StatusCodes.SERVICE_UNAVAILABLE;
      detail = "the cluster did not answer in time; retrying is safe";
    } else if (error instanceof R2dbcException database && retryCures(database)) {
      status = StatusCodes.SERVICE_UNAVAILABLE;
      detail = "the database is not available; retrying is safe";
      log.warn("Database call failed: {}", error.toString());
    } else {
      status = StatusCodes.INTERNAL_SERVER_ERROR;
      detail = "unexpected error";
      log.error("Request failed", error);
    }
    HttpResponse response = ProblemDetail.of(status, detail).toResponse(status, json.mapper());
    if (status.equals(StatusCodes.UNAUTHORIZED)) {
      response = response.addHeader(RawHeader.create("WWW-Authenticate", BEARER_CHALLENGE));
    }
    return Directives.complete(response);
  }

  /**
   * A database failure that a later retry can cure: the server unreachable or its connection lost
   * (no SQLSTATE, or class 08), shutting down or out of resources (57P, 53), a transaction that
   * lost a conflict or timed out (40, R2DBC's transient exceptions). Anything else (bad SQL, a
   * violated constraint, a value out of range, no permission) fails the same way again: a 500, not
   * a 503.
   */
  static boolean retryCures(R2dbcException error) {
    if (error instanceof R2dbcTransientException) {
      return true;
    }
    String state = error.getSqlState();
    if (state == null) {
      return error instanceof R2dbcNonTransientResourceException;
    }
    return state.startsWith("08")
        || state.startsWith("57P")
        || state.startsWith("53")
        || state.startsWith("40");
  }

  static StatusCode statusOf(Rejection.Kind kind) {
    return switch (kind) {
      case NOT_FOUND -> StatusCodes.NOT_FOUND;
      case CONFLICT -> StatusCodes.CONFLICT;
      case INVALID -> StatusCodes.UNPROCESSABLE_ENTITY;
      case UNAVAILABLE -> StatusCodes.SERVICE_UNAVAILABLE;
    };
  }

  private static String strictText(HttpEntity entity) {
    if (entity instanceof HttpEntity.Strict strict) {
      return strict.getData().utf8String();
    }
    return "";
  }
}

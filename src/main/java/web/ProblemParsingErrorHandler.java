package web;

import akka.event.LoggingAdapter;
import akka.http.ParsingErrorHandler;
import akka.http.javadsl.model.HttpResponse;
import akka.http.scaladsl.model.ErrorInfo;
import akka.http.scaladsl.model.StatusCode;
import akka.http.scaladsl.settings.ServerSettings;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Answers requests too malformed to reach the routes (URI or headers over the limits, a broken
 * request line) with problem+json like every other error; akka-http's default answers text/plain.
 * Named in akka.http.server.parsing.error-handler, which instantiates it by reflection.
 */
public final class ProblemParsingErrorHandler extends ParsingErrorHandler {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  @Override
  public HttpResponse handle(
      StatusCode status, ErrorInfo error, LoggingAdapter log, ServerSettings settings) {
    log.debug("Refused a request the server could not parse: {}", error.formatPretty());
    return ProblemDetail.of(status, error.summary()).toResponse(status, MAPPER);
  }
}

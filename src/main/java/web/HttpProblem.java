package web;

import akka.http.javadsl.model.StatusCode;
import akka.http.javadsl.model.StatusCodes;

/** A request the API refuses before it reaches an entity, with the status that tells why. */
public final class HttpProblem extends RuntimeException {
  private final StatusCode status;

  public HttpProblem(StatusCode status, String detail) {
    super(detail, null, false, false);
    this.status = status;
  }

  public static HttpProblem malformed(String detail) {
    return new HttpProblem(StatusCodes.BAD_REQUEST, detail);
  }

  public static HttpProblem invalid(String detail) {
    return new HttpProblem(StatusCodes.UNPROCESSABLE_ENTITY, detail);
  }

  public static HttpProblem notFound(String detail) {
    return new HttpProblem(StatusCodes.NOT_FOUND, detail);
  }

  public StatusCode status() {
    return status;
  }
}

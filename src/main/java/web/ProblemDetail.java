package web;

import akka.http.javadsl.model.ContentType;
import akka.http.javadsl.model.HttpCharsets;
import akka.http.javadsl.model.HttpEntities;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.MediaTypes;
import akka.http.javadsl.model.StatusCode;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/** An RFC 9457 problem document, the body of every error the API answers. */
public record ProblemDetail(String type, String title, int status, String detail) {

  public static final ContentType PROBLEM_JSON =
      MediaTypes.applicationWithFixedCharset("problem+json", HttpCharsets.UTF_8).toContentType();

  public static ProblemDetail of(StatusCode status, String detail) {
    return new ProblemDetail("about:blank", status.reason(), status.intValue(), detail);
  }

  public HttpResponse toResponse(StatusCode status, ObjectMapper mapper) {
    try {
      return HttpResponse.create()
          .withStatus(status)
          .withEntity(HttpEntities.create(PROBLEM_JSON, mapper.writeValueAsBytes(this)));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a problem document always serializes", e);
    }
  }
}

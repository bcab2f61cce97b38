package web;

import static akka.http.javadsl.model.HttpMethods.GET;

import akka.http.javadsl.model.ContentTypes;
import akka.http.javadsl.model.HttpEntities;
import akka.http.javadsl.server.Route;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * GET /openapi.json: the API's contract, the reviewed resource file served byte for byte, to
 * anyone. Read once at start, so a node without it does not start.
 */
public final class OpenApiRoutes extends ApiRoutes {
  private static final String DOCUMENT = "openapi.json";

  private final byte[] document;
  private final Endpoint showDocument = endpoint(GET, "/" + DOCUMENT);

  public OpenApiRoutes(Json json, ApiSettings settings) {
    super(json, settings);
    this.document = read();
  }

  @Override
  public Route routes() {
    return path(
        DOCUMENT,
        () ->
            on(
                showDocument,
                () -> complete(HttpEntities.create(ContentTypes.APPLICATION_JSON, document))));
  }

  private static byte[] read() {
    try (InputStream in = OpenApiRoutes.class.getClassLoader().getResourceAsStream(DOCUMENT)) {
      if (in == null) {
        throw new IllegalStateException(DOCUMENT + " is missing from the classpath");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

package storefront.node;

import static akka.http.javadsl.model.HttpMethods.GET;

import akka.http.javadsl.server.Route;
import web.ApiRoutes;
import web.ApiSettings;
import web.Endpoint;
import web.Json;

/** GET /projections: every read-side projection instance with its state and lag. */
final class ProjectionRoutes extends ApiRoutes {
  private final ProjectionStatus status;

  private final Endpoint listProjections = endpoint(GET, "/projections");

  ProjectionRoutes(Json json, ApiSettings settings, ProjectionStatus status) {
    super(json, settings);
    this.status = status;
  }

  @Override
  public Route routes() {
    return path(
        "projections",
        () -> on(listProjections, () -> access.operator(() -> completeJson(status.all()))));
  }
}

package storefront;

import akka.http.javadsl.server.Route;
import web.ApiRoutes;
import web.ApiSettings;
import web.Json;

/** GET /projections: every read-side projection instance with its state and lag. */
final class ProjectionRoutes extends ApiRoutes {
  private final ProjectionStatus status;

  ProjectionRoutes(Json json, ApiSettings settings, ProjectionStatus status) {
    super(json, settings);
    this.status = status;
  }

  Route routes() {
    return path("projections", () -> get(() -> access.operator(() -> completeJson(status.all()))));
  }
}

package storefront.node;

import static akka.http.javadsl.model.HttpMethods.GET;

import akka.http.javadsl.server.Route;
import web.ApiRoutes;
import web.ApiSettings;
import web.Endpoint;
import web.Json;

/** GET /cluster: the members, their status, web addresses and shards, for the console. */
final class ClusterRoutes extends ApiRoutes {
  private final ClusterView view;

  private final Endpoint showCluster = endpoint(GET, "/cluster");

  ClusterRoutes(Json json, ApiSettings settings, ClusterView view) {
    super(json, settings);
    this.view = view;
  }

  @Override
  public Route routes() {
    return path(
        "cluster",
        () -> on(showCluster, () -> access.operator(() -> completeJson(view.snapshot()))));
  }
}

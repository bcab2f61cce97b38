package web;

import akka.http.javadsl.model.HttpMethod;

/**
 * One operation of the HTTP API: a method and a path template such as {@code
 * /carts/{cartId}/items}, as the OpenAPI document at /openapi.json names it. Every route is built
 * through one ({@link ApiRoutes#on}), so the list of them is the router's own.
 */
public record Endpoint(HttpMethod method, String path) {
  @Override
  public String toString() {
    return method.name() + " " + path;
  }
}

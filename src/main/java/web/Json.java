package web;

import akka.actor.typed.ActorSystem;
import akka.http.javadsl.marshallers.jackson.Jackson;
import akka.http.javadsl.marshalling.Marshaller;
import akka.http.javadsl.model.RequestEntity;
import akka.serialization.jackson.JacksonObjectMapperProvider;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Optional;

/**
 * The HTTP API's JSON: Akka's configured ObjectMapper under the name "storefront-http", set up in
 * storefront.conf to refuse unknown fields, wrong types and coerced scalars.
 */
public final class Json {
  private final ObjectMapper mapper;
  private final Marshaller<Object, RequestEntity> marshaller;

  public Json(ActorSystem<?> system) {
    this.mapper =
        JacksonObjectMapperProvider.get(system).getOrCreate("storefront-http", Optional.empty());
    this.marshaller = Jackson.marshaller(mapper);
  }

  public ObjectMapper mapper() {
    return mapper;
  }

  public Marshaller<Object, RequestEntity> marshaller() {
    return marshaller;
  }
}

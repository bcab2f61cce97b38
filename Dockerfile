# The Storefront jar in a container: every subcommand (serve, schema, datagen, workload, ...).
# Not run here: the machines this was built on have no container engine; `docker-compose config`
# validates the compose files that use it (ContainerFilesTest).

# Build with the README's own command (ContainerFilesTest holds the two to the same command).
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /build
COPY pom.xml ./
COPY ddl-scripts ddl-scripts
COPY src src
RUN mvn -B -q package -DskipTests

FROM eclipse-temurin:17-jre
# curl for the health check: the JRE image is not promised to have it, and a `java` probe would
# start a JVM every few seconds.
RUN apt-get update \
    && apt-get install -y --no-install-recommends curl \
    && rm -rf /var/lib/apt/lists/*
# Not root: PostgreSQL refuses to run as root, so `serve` with the embedded database needs this
# too. The working directory is the user's, where `serve` keeps data/ and the workload its
# acknowledged-orders.txt.
RUN useradd --create-home --uid 10001 storefront
COPY --from=build /build/target/storefront.jar /app/storefront.jar
USER storefront
WORKDIR /home/storefront

# A container's loopback is its own: the API must listen on every interface to be reached.
ENV STOREFRONT_HTTP_INTERFACE=0.0.0.0
# HTTP API, Akka remoting, Akka Management (/ready, /alive, /cluster/members).
EXPOSE 8080 2551 8558

# Readiness is Akka Management's /ready (cluster membership), on the management port. Management
# binds STOREFRONT_HOST (the remoting host name), not loopback, so the probe asks that name. The
# compose files turn it off for the containers that run a tool instead of a node.
HEALTHCHECK --interval=5s --timeout=3s --start-period=120s --retries=3 \
    CMD curl -fsS -o /dev/null "http://${STOREFRONT_HOST:-127.0.0.1}:${STOREFRONT_MANAGEMENT_PORT:-8558}/ready" || exit 1

# The heap follows the container's memory limit (the rest is for metaspace, threads and Artery's
# direct buffers). The parallel collector costs about 10 % less CPU per order than G1 on a small
# machine (README, Configuration). Exec form: java is PID 1 and gets `docker stop`'s SIGTERM, so a
# node leaves the cluster and hands its shards over.
ENTRYPOINT ["java", "-XX:+UseParallelGC", "-XX:MaxRAMPercentage=70", "-XX:+ExitOnOutOfMemoryError", "-jar", "/app/storefront.jar"]
CMD ["serve"]

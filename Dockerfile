# syntax=docker/dockerfile:1
# One image for every hub service; HUB_SERVICES picks which ones a container runs.
#   docker build -t agent-hub:0.1.0 .
#
# JDK 25 builds and runs it: .mvn/jvm.config passes --sun-misc-unsafe-memory-access=allow,
# which only JDK 23+ accepts, and the AOT cache below must be made by the JVM that reads it.
# The web console is built with Node in its own stage (the JDK image has no npm); the Maven
# build then packages what it made.
FROM node:22-bookworm-slim AS console
WORKDIR /src/web-console
COPY web-console/package.json web-console/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY web-console/ ./
RUN rm -rf target && npm run build

FROM eclipse-temurin:25.0.3_9-jdk AS build
WORKDIR /src
COPY . .
COPY --from=console /src/web-console/target/classes/hub-console web-console/target/classes/hub-console
RUN --mount=type=cache,target=/root/.m2 \
    ./mvnw -q -B -pl hub-launcher -am package -DskipTests -Dcheckstyle.skip=true -Dspring-javaformat.skip=true \
      -Dconsole.npm.skip=true \
 && java -Djarmode=tools -jar hub-launcher/target/hub-launcher.jar extract --layers --destination /layers

FROM eclipse-temurin:25.0.3_9-jre
RUN groupadd --system --gid 10001 hub \
 && useradd --system --uid 10001 --gid hub --home-dir /app --no-create-home --shell /usr/sbin/nologin hub
WORKDIR /app
# Layers from the least to the most often changed: a new build of the hub's own code
# leaves the (large) dependency layer cached.
COPY --from=build /layers/dependencies/ ./
COPY --from=build /layers/spring-boot-loader/ ./
COPY --from=build /layers/snapshot-dependencies/ ./
COPY --from=build /layers/application/ ./
# Training run for the JVM's AOT cache (JEP 483/514): start all four services (memory
# engine, embedded H2 in /tmp), stop them once they are up; on exit the JVM writes the
# classes it loaded and linked, and their profiles, to /app/hub.aot. Started with that
# cache, a service is ready in about half the time (docs/benchmarks.md, "Startup"). The
# cache holds only the JDK and the jars under /app: the same classpath must be used at
# run time (it is: -jar /app/hub-launcher.jar), and the same object layout (compact
# headers in both), or the JVM ignores the cache.
RUN set -eu; \
    HUB_DATABASE_DATA_DIR=/tmp/train java -XX:+UseCompactObjectHeaders -XX:AOTCacheOutput=/app/hub.aot -jar /app/hub-launcher.jar >/tmp/train.log 2>&1 & \
    pid=$!; \
    tries=0; \
    until grep -q "agent hub is up" /tmp/train.log; do \
      tries=$((tries + 1)); \
      if ! kill -0 "$pid" 2>/dev/null || [ "$tries" -gt 300 ]; then cat /tmp/train.log; exit 1; fi; sleep 1; \
    done; \
    kill "$pid"; wait "$pid" || true; \
    test -s /app/hub.aot; \
    rm -rf /tmp/train /tmp/train.log
USER 10001:10001
EXPOSE 8080 8081 8082 8083
# HUB_JAVA_OPTS adds JVM options (the manifests set heap sizing there) after the hub's own
# (`./hub jvm-options`: G1 returns heap beyond 10 % free after a collection; compact object
# headers, JEP 519).
ENTRYPOINT ["sh", "-c", "exec java -XX:AOTCache=/app/hub.aot -XX:MaxHeapFreeRatio=10 -XX:MinHeapFreeRatio=5 -XX:+UseCompactObjectHeaders $HUB_JAVA_OPTS -jar /app/hub-launcher.jar \"$@\"", "hub"]

# One image for every hub service; HUB_SERVICES picks which ones a container runs.
# The web console is built with Node in its own stage; the Maven build then packages it.
FROM node:22-bookworm-slim AS console
WORKDIR /src/web-console
COPY web-console/package.json web-console/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY web-console/ ./
RUN rm -rf target && npm run build

FROM eclipse-temurin:21-jdk AS build
WORKDIR /src
COPY . .
COPY --from=console /src/web-console/target/classes/hub-console web-console/target/classes/hub-console
RUN ./mvnw -q -B -pl hub-launcher -am package -DskipTests -Dconsole.npm.skip=true

FROM eclipse-temurin:21-jre
WORKDIR /app
COPY --from=build /src/hub-launcher/target/hub-launcher.jar /app/hub-launcher.jar
EXPOSE 8080 8081 8082 8083
ENTRYPOINT ["sh", "-c", "exec java $HUB_JAVA_OPTS -jar /app/hub-launcher.jar"]

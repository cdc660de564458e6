# One image for every hub service; HUB_SERVICES picks which ones a container runs.
FROM eclipse-temurin:21-jdk AS build
WORKDIR /src
COPY . .
RUN ./mvnw -q -B -pl hub-launcher -am package -DskipTests

FROM eclipse-temurin:21-jre
WORKDIR /app
COPY --from=build /src/hub-launcher/target/hub-launcher.jar /app/hub-launcher.jar
EXPOSE 8080 8081 8082 8083
ENTRYPOINT ["sh", "-c", "exec java $HUB_JAVA_OPTS -jar /app/hub-launcher.jar"]

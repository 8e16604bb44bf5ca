# The operator image. Build from the repository root after `mvn -B -ntp -DskipTests -pl node,operator -am package`:
#   docker build -f deploy/kubernetes/images/operator.Dockerfile -t vkv-operator:0.1.0 .
# It carries vkv's jar too: each backup is verified with `vkv snapshot status` before it gets its name.
FROM eclipse-temurin:21-jre
RUN groupadd --system --gid 10001 vkv \
 && useradd --system --uid 10001 --gid vkv --no-create-home --shell /usr/sbin/nologin vkv \
 && mkdir -p /opt/vkv-operator /opt/vkv /var/lib/vkv-operator/backups
COPY operator/target/vkv-operator.jar /opt/vkv-operator/vkv-operator.jar
COPY node/target/vkv.jar /opt/vkv/vkv.jar
USER 10001:10001
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75"
ENTRYPOINT ["java", "-jar", "/opt/vkv-operator/vkv-operator.jar"]

# The vkv member image. Build from the repository root after `mvn -B -ntp -DskipTests -pl node -am package`:
#   docker build -f deploy/kubernetes/images/vkv.Dockerfile -t vkv:0.1.0 .
# The operator passes vkv's flags as the container's arguments; data lives under /var/lib/vkv (the member's claim).
FROM eclipse-temurin:21-jre
RUN groupadd --system --gid 10001 vkv \
 && useradd --system --uid 10001 --gid vkv --home-dir /var/lib/vkv --no-create-home --shell /usr/sbin/nologin vkv \
 && mkdir -p /opt/vkv /var/lib/vkv && chown vkv:vkv /var/lib/vkv
COPY node/target/vkv.jar /opt/vkv/vkv.jar
USER 10001:10001
WORKDIR /var/lib/vkv
VOLUME /var/lib/vkv
EXPOSE 2379 2380
# heap from the container's memory limit; the store itself (LMDB) lives outside the heap
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=50 -XX:+UseG1GC"
ENTRYPOINT ["java", "-jar", "/opt/vkv/vkv.jar"]

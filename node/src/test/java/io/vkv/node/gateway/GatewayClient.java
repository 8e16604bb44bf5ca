package io.vkv.node.gateway;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Plain HTTP/1.1 requests to a JSON gateway (vkv's or etcd's), answers normalized for comparison. */
final class GatewayClient implements AutoCloseable {
  /** Fields whose values differ between two servers by nature (ids, terms, sizes, tokens, times). */
  static final Set<String> VARYING = Set.of("cluster_id", "member_id", "raft_term", "token", "version", "dbSize",
      "dbSizeInUse", "leader", "raftIndex", "raftTerm", "raftAppliedIndex", "hash", "peerURLs", "clientURLs", "name");

  record Answer(int status, String body) {
    JsonObject json() {
      return JsonParser.parseString(body).getAsJsonObject();
    }

    /** The answer with varying values replaced by "*" (kept where the field is present, so presence still counts). */
    String normalized(Set<String> alsoVarying) {
      if (!body.startsWith("{")) return status + " " + body;
      // a streamed answer is one object per line
      StringBuilder out = new StringBuilder().append(status);
      for (String line : body.split("\n")) out.append(' ').append(normalize(JsonParser.parseString(line), alsoVarying));
      return out.toString();
    }
  }

  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  private final ExecutorService readers = Executors.newCachedThreadPool();
  private final String base;

  GatewayClient(String endpoint) {
    this.base = "http://" + endpoint;
  }

  Answer post(String path, String body, String token) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(15))
        .POST(HttpRequest.BodyPublishers.ofString(body));
    if (token != null) b.header("Authorization", token);
    HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    return new Answer(r.statusCode(), r.body());
  }

  Answer get(String path) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(15)).build(),
        HttpResponse.BodyHandlers.ofString());
    return new Answer(r.statusCode(), r.body());
  }

  /** A streaming call: its response lines, read one at a time with a deadline each; close to disconnect. */
  final class Lines implements AutoCloseable {
    private final CompletableFuture<HttpResponse<Stream<String>>> response;
    private Iterator<String> lines;
    private Stream<String> stream;

    Lines(String path, String body) {
      response = http.sendAsync(HttpRequest.newBuilder(URI.create(base + path)).POST(HttpRequest.BodyPublishers.ofString(body))
          .build(), HttpResponse.BodyHandlers.ofLines());
    }

    String next() throws Exception {
      if (lines == null) {
        stream = response.get(15, TimeUnit.SECONDS).body();
        lines = stream.iterator();
      }
      return CompletableFuture.supplyAsync(() -> lines.hasNext() ? lines.next() : null, readers).get(15, TimeUnit.SECONDS);
    }

    int status() throws Exception {
      return response.get(15, TimeUnit.SECONDS).statusCode();
    }

    @Override
    public void close() {
      if (stream != null) stream.close();
      response.cancel(true);
    }
  }

  static String normalize(JsonElement e, Set<String> alsoVarying) {
    return normalized(e, alsoVarying).toString();
  }

  private static JsonElement normalized(JsonElement e, Set<String> alsoVarying) {
    if (e.isJsonObject()) {
      JsonObject out = new JsonObject();
      for (Map.Entry<String, JsonElement> f : e.getAsJsonObject().entrySet()) {
        boolean varying = VARYING.contains(f.getKey()) || alsoVarying.contains(f.getKey());
        out.add(f.getKey(), varying ? new com.google.gson.JsonPrimitive("*") : normalized(f.getValue(), alsoVarying));
      }
      return out;
    }
    if (e.isJsonArray()) {
      JsonArray out = new JsonArray();
      for (JsonElement x : e.getAsJsonArray()) out.add(normalized(x, alsoVarying));
      return out;
    }
    return e;
  }

  @Override
  public void close() {
    readers.shutdownNow();
  }
}

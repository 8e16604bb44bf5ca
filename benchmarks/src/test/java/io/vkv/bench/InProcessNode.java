package io.vkv.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vkv.node.NodeConfig;
import io.vkv.node.VkvNode;
import io.vkv.node.tls.TlsSettings;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** One vkv member in this JVM, on ephemeral ports and a temp dir, for the tests that run vkv-bench against it. */
final class InProcessNode implements AutoCloseable {
  private final Path dir;
  private final VkvNode node;

  private InProcessNode(Path dir, VkvNode node) {
    this.dir = dir;
    this.node = node;
  }

  static InProcessNode start(String dirPrefix) throws Exception {
    return start(dirPrefix, null);
  }

  /** The same member serving clients over TLS with these settings (null: plain text). */
  static InProcessNode start(String dirPrefix, TlsSettings clientTls) throws Exception {
    Path dir = Files.createTempDirectory(dirPrefix);
    try {
      NodeConfig config = NodeConfig.singleMember(dir, 0, 0);
      if (clientTls != null) {
        URI https = URI.create("https://127.0.0.1:0");
        config = config.toBuilder().listenClientUrls(List.of(https)).advertiseClientUrls(List.of(https))
            .clientTls(clientTls).build();
      }
      VkvNode node = VkvNode.start(config).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      return new InProcessNode(dir, node);
    } catch (Exception e) {
      deleteTree(dir);
      throw e;
    }
  }

  /**
   * Runs vkv-bench against this member: it must exit 0 with one stdout line matching {@code json} and a human
   * summary containing {@code summary} on stderr.
   */
  Matcher run(Pattern json, String summary, String... args) {
    String[] full = new String[args.length + 2];
    full[0] = "--endpoints";
    full[1] = node.endpoints();
    System.arraycopy(args, 0, full, 2, args.length);
    BenchOutput.Outcome o = BenchOutput.run(full);
    assertEquals(0, o.code(), o.err());
    String[] lines = o.out().strip().split("\n");
    assertEquals(1, lines.length, "exactly one JSON line on stdout: " + o.out());
    Matcher m = json.matcher(lines[0]);
    assertTrue(m.matches(), lines[0]);
    assertTrue(o.err().contains(summary), "human summary on stderr: " + o.err());
    return m;
  }

  /** host:port of the member's client URL. */
  String endpoints() {
    return node.endpoints();
  }

  @Override
  public void close() throws Exception {
    try {
      node.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } finally {
      deleteTree(dir);
    }
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // best effort: the OS cleans the temp dir eventually
    }
  }
}

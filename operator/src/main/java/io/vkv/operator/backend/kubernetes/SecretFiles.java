package io.vkv.operator.backend.kubernetes;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Where the operator writes what it reads from TLS Secrets (its TLS client takes PEM files): one private temporary
 * directory per operator process (mode 700), made on first use, so an operator without TLS clusters writes nothing,
 * and removed when the process exits, so no private key outlives it there.
 */
final class SecretFiles {
  private static Path root;

  private SecretFiles() {}

  static synchronized Path root() throws IOException {
    if (root == null) {
      Path made = Files.createTempDirectory("vkv-operator-secrets-");
      Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(made), "vkv-operator-secrets-cleanup"));
      root = made;
    }
    return root;
  }

  /** Deletes {@code dir} and everything under it, as far as it can: a file that cannot go is left. */
  static void deleteTree(Path dir) {
    if (!Files.exists(dir)) return;
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        try {
          Files.deleteIfExists(p);
        } catch (IOException e) {
          // best effort at exit: a file someone else holds stays
        }
      }
    } catch (IOException e) {
      // the tree vanished or became unreadable meanwhile: nothing more to do
    }
  }
}

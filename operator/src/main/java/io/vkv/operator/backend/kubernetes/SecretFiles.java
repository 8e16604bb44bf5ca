package io.vkv.operator.backend.kubernetes;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the operator writes what it reads from TLS Secrets (its TLS client takes PEM files): one private temporary
 * directory per operator process (mode 700), made on first use, so an operator without TLS clusters writes nothing.
 */
final class SecretFiles {
  private static Path root;

  private SecretFiles() {}

  static synchronized Path root() throws IOException {
    if (root == null) root = Files.createTempDirectory("vkv-operator-secrets-");
    return root;
  }
}

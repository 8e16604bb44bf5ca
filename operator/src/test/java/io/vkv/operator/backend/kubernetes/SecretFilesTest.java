package io.vkv.operator.backend.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretFilesTest {
  @TempDir Path dir;

  /** Run in a child JVM: makes the secrets directory, writes a key into it, prints its path and exits. */
  public static void main(String[] args) throws Exception {
    Path root = SecretFiles.root();
    Files.createDirectories(root.resolve("ns/cluster-client-tls"));
    Files.writeString(root.resolve("ns/cluster-client-tls/tls.key"), "a private key");
    System.out.println(root);
  }

  @Test
  void theDirectoryIsPrivateAndOneForTheProcess() throws Exception {
    Path root = SecretFiles.root();
    assertEquals(root, SecretFiles.root());
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(root)));
  }

  @Test
  void deleteTreeRemovesEverythingUnderIt() throws Exception {
    Path tree = dir.resolve("secrets");
    Files.createDirectories(tree.resolve("a/b"));
    Files.writeString(tree.resolve("a/b/tls.key"), "k");
    Files.writeString(tree.resolve("a/ca.crt"), "c");
    SecretFiles.deleteTree(tree);
    assertFalse(Files.exists(tree));
    SecretFiles.deleteTree(tree); // gone already: nothing to do, no error
  }

  @Test
  void theDirectoryGoesWhenTheProcessExits() throws Exception {
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), SecretFilesTest.class.getName())
        .redirectErrorStream(true).start();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the child JVM did not exit");
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertEquals(0, p.exitValue(), out);
    Path made = Path.of(out.lines().reduce((a, b) -> b).orElseThrow());
    assertTrue(made.getFileName().toString().startsWith("vkv-operator-secrets-"), out);
    assertFalse(Files.exists(made), made + " outlived the process that made it");
  }
}

package io.vkv.node.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Test certificates made in the test's temp dir with the openssl command line, the same commands docs/security.md
 * gives: a CA, and certificates it signs for 127.0.0.1/localhost usable as server and client certificates. Nothing
 * is checked in.
 */
public final class TestPki {
  /** A certificate and its key (PEM files). */
  public record Issued(Path cert, Path key) {}

  /** A CA: its certificate and key. */
  public record Ca(Path cert, Path key, Path dir) {
    /** A certificate with this CN for 127.0.0.1 and localhost, for server and client use, valid one day. */
    public Issued issue(String name, String cn) {
      return issue(name, cn, "ec");
    }

    /** As {@link #issue(String, String)}; {@code keyType} "ec" (PKCS#8), "rsa" (PKCS#8) or "sec1" (EC PRIVATE KEY). */
    public Issued issue(String name, String cn, String keyType) {
      Path key = dir.resolve(name + ".key");
      Path csr = dir.resolve(name + ".csr");
      Path crt = dir.resolve(name + ".crt");
      Path ext = dir.resolve(name + ".ext");
      try {
        Files.writeString(ext, "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth,clientAuth\n"
            + "keyUsage=digitalSignature,keyEncipherment\n");
      } catch (IOException e) {
        throw new AssertionError(e);
      }
      switch (keyType) {
        case "sec1" -> openssl("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", key.toString());
        case "rsa" -> openssl("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", key.toString());
        default -> openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-out", key.toString());
      }
      openssl("req", "-new", "-key", key.toString(), "-subj", "/CN=" + cn, "-out", csr.toString());
      openssl("x509", "-req", "-in", csr.toString(), "-CA", cert.toString(), "-CAkey", this.key.toString(),
          "-set_serial", Long.toString(System.nanoTime()), "-days", "1", "-extfile", ext.toString(), "-out", crt.toString());
      return new Issued(crt, key);
    }
  }

  private TestPki() {
  }

  /** A new self-signed CA named {@code cn}, its files in {@code dir}. */
  public static Ca ca(Path dir, String cn) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    Path key = dir.resolve("ca-" + cn + ".key");
    Path crt = dir.resolve("ca-" + cn + ".crt");
    openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", key.toString(),
        "-out", crt.toString(), "-subj", "/CN=" + cn, "-days", "1");
    return new Ca(crt, key, dir);
  }

  /** Runs openssl; fails the test with its output if it does not exit 0 within 30 s. */
  public static String openssl(String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add("openssl");
    cmd.addAll(List.of(args));
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("openssl " + String.join(" ", args) + " did not finish");
      }
      String text = new String(out, StandardCharsets.UTF_8);
      if (p.exitValue() != 0) throw new AssertionError("openssl " + String.join(" ", args) + " failed: " + text);
      return text;
    } catch (IOException e) {
      throw new AssertionError("cannot run openssl", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}

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
      return issue(name, cn, keyType, "IP:127.0.0.1,DNS:localhost");
    }

    /** An EC certificate with this CN and these subject alternative names (openssl syntax: "DNS:a,IP:10.0.0.1"; "": none). */
    public Issued issueWithSans(String name, String cn, String subjectAltNames) {
      return issue(name, cn, "ec", subjectAltNames);
    }

    private Issued issue(String name, String cn, String keyType, String subjectAltNames) {
      Path key = dir.resolve(name + ".key");
      Path csr = dir.resolve(name + ".csr");
      Path crt = dir.resolve(name + ".crt");
      Path ext = dir.resolve(name + ".ext");
      try {
        Files.writeString(ext, (subjectAltNames.isEmpty() ? "" : "subjectAltName=" + subjectAltNames + "\n")
            + "extendedKeyUsage=serverAuth,clientAuth\n"
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

    /**
     * A PEM X.509 CRL signed by this CA revoking {@code revoked} (none: an empty list), made with {@code openssl ca}
     * as docs/security.md shows; {@code name} names its own database so each call starts afresh.
     */
    public Path crl(String name, Issued... revoked) {
      Path db = dir.resolve(name + "-crl-db");
      Path config = db.resolve("ca.cnf");
      Path out = dir.resolve(name + ".crl.pem");
      try {
        Files.createDirectories(db);
        Files.writeString(db.resolve("index.txt"), "");
        Files.writeString(config, "[ ca ]\ndefault_ca = vkv_ca\n[ vkv_ca ]\ndatabase = " + db.resolve("index.txt")
            + "\ndefault_md = sha256\ndefault_crl_days = 1\n");
      } catch (IOException e) {
        throw new AssertionError(e);
      }
      for (Issued r : revoked) {
        openssl("ca", "-config", config.toString(), "-cert", cert.toString(), "-keyfile", key.toString(), "-revoke", r.cert().toString());
      }
      openssl("ca", "-config", config.toString(), "-cert", cert.toString(), "-keyfile", key.toString(), "-gencrl", "-out", out.toString());
      return out;
    }
  }

  /** The same CRL in DER. */
  public static Path derCrl(Path pemCrl) {
    Path out = pemCrl.resolveSibling(pemCrl.getFileName() + ".der");
    openssl("crl", "-in", pemCrl.toString(), "-outform", "DER", "-out", out.toString());
    return out;
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

package io.vkv.node;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs the real etcdctl (v3 API) against a set of endpoints, with a deadline. */
final class Etcdctl {
  record Result(int exitCode, String out, String err) {
    Result assertOk() {
      if (exitCode != 0) throw new AssertionError("etcdctl failed (" + exitCode + "): " + err + out);
      return this;
    }
  }

  private final String endpoints;

  Etcdctl(String endpoints) {
    this.endpoints = endpoints;
  }

  static String binary() {
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
      if (new java.io.File(dir, "etcdctl").canExecute()) return dir + "/etcdctl";
    }
    throw new AssertionError("etcdctl is not installed: the README's test command installs it (apt-get install etcd-client)");
  }

  Result run(String... args) {
    return runWithInput(null, args);
  }

  Result runWithInput(byte[] stdin, String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(binary());
    cmd.add("--endpoints=" + endpoints);
    cmd.add("--command-timeout=10s");
    cmd.add("--dial-timeout=5s");
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().put("ETCDCTL_API", "3");
    pb.environment().remove("ETCDCTL_ENDPOINTS");
    try {
      Process p = pb.start();
      CompletableFuture<String> out = drain(p.getInputStream());
      CompletableFuture<String> err = drain(p.getErrorStream());
      try (OutputStream in = p.getOutputStream()) {
        if (stdin != null) in.write(stdin);
      }
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("etcdctl " + String.join(" ", args) + " did not finish in 30 s");
      }
      return new Result(p.exitValue(), out.get(5, TimeUnit.SECONDS), err.get(5, TimeUnit.SECONDS));
    } catch (IOException | InterruptedException | java.util.concurrent.ExecutionException
             | java.util.concurrent.TimeoutException e) {
      throw new AssertionError("running etcdctl failed", e);
    }
  }

  private static CompletableFuture<String> drain(InputStream s) {
    return CompletableFuture.supplyAsync(() -> {
      try (s) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        s.transferTo(b);
        return b.toString(StandardCharsets.UTF_8);
      } catch (IOException e) {
        return "<unreadable: " + e + ">";
      }
    });
  }
}

package io.vkv.node.http;

import io.vkv.api.EtcdError;
import io.vkv.api.EtcdException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * One of etcd 3.5's probe families ({@code /livez}, {@code /readyz}): named checks, each a future that fails with the
 * reason. The root path runs all of them but those in {@code ?exclude=}; {@code /<root>/<name>} runs one. Checks are
 * reported in the order they were registered (etcd's order is its map's, i.e. random).
 */
final class HealthChecks {
  /** The outcome: healthy or not, and etcd's per-check lines ({@code [+]name ok}, {@code [-]name failed: why}). */
  record Report(boolean healthy, String lines) {}

  private final String root;
  private final Map<String, Supplier<CompletableFuture<Void>>> checks = new LinkedHashMap<>();

  HealthChecks(String root) {
    this.root = root;
  }

  HealthChecks register(String name, Supplier<CompletableFuture<Void>> check) {
    checks.put(name, check);
    return this;
  }

  String root() {
    return root;
  }

  boolean has(String name) {
    return checks.containsKey(name);
  }

  /** All checks but the excluded ones (etcd ignores exclusions of checks it does not have). */
  CompletableFuture<Report> runAllBut(Set<String> excluded) {
    return run(checks.keySet().stream().filter(n -> !excluded.contains(n)).toList());
  }

  /** The checks run side by side; the report lists them in order. */
  CompletableFuture<Report> run(List<String> names) {
    List<CompletableFuture<String>> outcomes = new ArrayList<>();
    for (String name : names) {
      CompletableFuture<Void> check;
      try {
        check = checks.get(name).get();
      } catch (RuntimeException e) {
        check = CompletableFuture.failedFuture(e);
      }
      outcomes.add(check.handle((v, e) -> e == null ? null : reason(e)));
    }
    return CompletableFuture.allOf(outcomes.toArray(CompletableFuture[]::new)).thenApply(v -> {
      StringBuilder lines = new StringBuilder();
      boolean healthy = true;
      for (int i = 0; i < names.size(); i++) {
        String failure = outcomes.get(i).join();
        if (failure == null) {
          lines.append("[+]").append(names.get(i)).append(" ok\n");
        } else {
          healthy = false;
          lines.append("[-]").append(names.get(i)).append(" failed: ").append(failure).append('\n');
        }
      }
      return new Report(healthy, lines.toString());
    });
  }

  private static String reason(Throwable e) {
    while (e.getCause() != null && (e instanceof CompletionException
        || e instanceof ExecutionException)) {
      e = e.getCause();
    }
    if (e instanceof TimeoutException) return EtcdError.TIMEOUT.message();
    if (e instanceof EtcdException ee) return ee.error().message();
    return String.valueOf(e.getMessage());
  }
}

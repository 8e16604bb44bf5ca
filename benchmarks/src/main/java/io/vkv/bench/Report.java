package io.vkv.bench;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.HdrHistogram.Histogram;

/** The end of a run: a human summary (stderr) and exactly one JSON line (stdout) for scripts. */
final class Report {
  private Report() {
  }

  static double ms(Histogram h, double percentile) {
    return h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(percentile) / 1000.0;
  }

  static String json(Runner.Result r) {
    Histogram h = r.histogram();
    double maxMs = h.getTotalCount() == 0 ? 0 : h.getMaxValue() / 1000.0;
    return String.format(Locale.ROOT,
        "{\"workload\":\"%s\",\"ops\":%d,\"errors\":%d,\"duration_s\":%.3f,\"ops_per_s\":%.1f,"
            + "\"p50_ms\":%.3f,\"p90_ms\":%.3f,\"p99_ms\":%.3f,\"p999_ms\":%.3f,\"max_ms\":%.3f,"
            + "\"client_cpu\":%.2f,\"saturated\":%b}",
        r.workload(), r.ops(), r.errors(), r.durationSeconds(), opsPerSecond(r),
        ms(h, 50), ms(h, 90), ms(h, 99), ms(h, 99.9), maxMs, r.usage().processCores(), r.usage().saturated());
  }

  static double opsPerSecond(Runner.Result r) {
    return r.durationSeconds() <= 0 ? 0 : r.ops() / r.durationSeconds();
  }

  static void summary(Runner.Result r, Settings s, PrintWriter err) {
    Histogram h = r.histogram();
    err.printf(Locale.ROOT, "%n%s: %d clients, %d conn(s) per endpoint, %s%n", r.workload(), s.clients(), s.conns(),
        String.join(",", s.endpoints()));
    err.printf(Locale.ROOT, "  requests   %,d ok, %,d errors in %.2f s%n", r.ops(), r.errors(), r.durationSeconds());
    err.printf(Locale.ROOT, "  throughput %,.1f ops/s%n", opsPerSecond(r));
    err.printf(Locale.ROOT, "  latency ms p50 %.3f  p90 %.3f  p99 %.3f  p99.9 %.3f  max %.3f  mean %.3f%n",
        ms(h, 50), ms(h, 90), ms(h, 99), ms(h, 99.9), h.getTotalCount() == 0 ? 0 : h.getMaxValue() / 1000.0,
        h.getTotalCount() == 0 ? 0 : h.getMean() / 1000.0);
    err.printf(Locale.ROOT, "  client cpu %.2f of %d cores, busiest event loop %.0f%%%n", r.usage().processCores(),
        r.usage().cores(), r.usage().busiestLoop() * 100);
    for (String e : r.sampledErrors()) err.printf("  error: %s%n", e);
    tlsHint(r, s, err);
    if (r.usage().saturated()) {
      err.printf("  WARNING: vkv-bench itself is saturated (CPU >= %.0f%%): the numbers measure the tool too; "
          + "use more --event-loops, fewer --clients, or a separate machine.%n", CpuMonitor.SATURATION * 100);
    }
    err.flush();
  }

  /**
   * Why a TLS run without a client certificate may have failed: under TLS 1.3 a server that requires one
   * (--client-cert-auth) refuses it after the handshake, so the client only sees the connection closed.
   */
  static void tlsHint(Runner.Result r, Settings s, PrintWriter err) {
    if (s.tls() == null || s.tls().cert() != null || r.ops() > 0) return;
    if (r.sampledErrors().stream().anyMatch(e -> e.contains("Connection was closed"))) {
      err.printf("  hint: the server closed every TLS connection; a server with --client-cert-auth does so to "
          + "clients without a certificate: give --cert and --key%n");
    }
  }

  /** Writes the files asked for with --hdr-out and --plot, and says so on stderr. */
  static void writeFiles(Runner.Result r, Settings s, PrintWriter err) throws IOException {
    if (s.hdrOut() != null) writeHistogram(r, s.hdrOut());
    if (s.plot() != null) {
      String title = r.workload() + " latency, " + String.join(",", s.endpoints());
      PercentileChart.write(List.of(LatencyCurve.of(r.workload(), r.histogram())), title, Path.of(s.plot()));
      err.printf("  plot       %s%n", s.plot());
      err.flush();
    }
  }

  /** The percentile distribution in milliseconds, HdrHistogram's text format (plottable with its tools). */
  static void writeHistogram(Runner.Result r, String file) throws IOException {
    try (PrintStream out = new PrintStream(new FileOutputStream(file), false, "UTF-8")) {
      r.histogram().outputPercentileDistribution(out, 1000.0);
    }
  }
}

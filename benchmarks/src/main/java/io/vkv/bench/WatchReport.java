package io.vkv.bench;

import java.io.PrintWriter;
import java.util.Locale;
import org.HdrHistogram.Histogram;

/**
 * The end of a watch run: the same JSON line as every workload (ops = events received, errors = missing events,
 * latencies = put-to-event) with the watch fields appended, and a human summary on stderr.
 */
final class WatchReport {
  private WatchReport() {
  }

  static String json(WatchRunner.Result r) {
    String base = Report.json(r.base());
    return base.substring(0, base.length() - 1) + String.format(Locale.ROOT,
        ",\"watchers\":%d,\"streams\":%d,\"watched_keys\":%d,\"puts\":%d,\"put_errors\":%d,\"connections\":%d,"
            + "\"create_s\":%.3f,\"events_expected\":%d,\"events_per_s\":%.1f}",
        r.plan().watchers(), r.plan().streams(), r.plan().watchedKeys(), r.putsDone(), r.putErrors(),
        r.connections(), r.createSeconds(), r.expected(), Report.opsPerSecond(r.base()));
  }

  static void summary(WatchRunner.Result r, Settings s, PrintWriter err) {
    Runner.Result b = r.base();
    Histogram h = b.histogram();
    err.printf(Locale.ROOT, "%n%s: %,d watchers on %,d streams (%d connection(s)), %,d watched keys, %s%n",
        b.workload(), r.plan().watchers(), r.plan().streams(), r.connections(), r.plan().watchedKeys(),
        String.join(",", s.endpoints()));
    err.printf(Locale.ROOT, "  watchers   created in %.2f s%n", r.createSeconds());
    err.printf(Locale.ROOT, "  puts       %,d ok, %,d errors, %d clients%s%n", r.putsDone(), r.putErrors(),
        r.plan().putClients(), r.plan().putRate() > 0 ? String.format(Locale.ROOT, " at %.0f/s", r.plan().putRate()) : "");
    err.printf(Locale.ROOT, "  events     %,d of %,d expected (%,d missing) in %.2f s%n", b.ops(), r.expected(),
        b.errors(), b.durationSeconds());
    err.printf(Locale.ROOT, "  throughput %,.1f events/s%n", Report.opsPerSecond(b));
    err.printf(Locale.ROOT, "  put-to-event ms p50 %.3f  p90 %.3f  p99 %.3f  p99.9 %.3f  max %.3f%n",
        Report.ms(h, 50), Report.ms(h, 90), Report.ms(h, 99), Report.ms(h, 99.9),
        h.getTotalCount() == 0 ? 0 : h.getMaxValue() / 1000.0);
    err.printf(Locale.ROOT, "  client cpu %.2f of %d cores, busiest event loop %.0f%%%n", b.usage().processCores(),
        b.usage().cores(), b.usage().busiestLoop() * 100);
    for (String e : b.sampledErrors()) err.printf("  error: %s%n", e);
    Report.tlsHint(b, s, err);
    if (b.usage().saturated()) {
      err.printf("  WARNING: vkv-bench itself is saturated (CPU >= %.0f%%): the numbers measure the tool too; "
          + "use more --event-loops or a separate machine.%n", CpuMonitor.SATURATION * 100);
    }
    err.flush();
  }
}

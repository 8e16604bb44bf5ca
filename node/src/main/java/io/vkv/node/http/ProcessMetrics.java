package io.vkv.node.http;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The process's own figures: the Prometheus process collector's names that etcd exports and dashboards chart
 * ({@code process_resident_memory_bytes}, {@code process_cpu_seconds_total}, {@code process_open_fds},
 * {@code process_start_time_seconds}), read from {@code /proc/self} on Linux, and the JVM's heap, collector and
 * thread figures ({@code jvm_*}, Micrometer's binders), which say whether the heap limit fits (docs/operations.md).
 */
final class ProcessMetrics {
  private static final Path STATUS = Path.of("/proc/self/status");
  private static final Path STAT = Path.of("/proc/self/stat");
  private static final Path FDS = Path.of("/proc/self/fd");

  private ProcessMetrics() {
  }

  static void bind(MeterRegistry registry) {
    new JvmMemoryMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    long started = ManagementFactory.getRuntimeMXBean().getStartTime();
    Gauge.builder("process.start.time.seconds", () -> started / 1000.0)
        .description("Start time of the process since unix epoch in seconds.").register(registry);
    if (!Files.isReadable(STATUS)) return; // not Linux: only the JVM's own figures
    Gauge.builder("process.resident.memory.bytes", ProcessMetrics::residentBytes)
        .description("Resident memory size in bytes.").register(registry);
    FunctionCounter.builder("process.cpu.seconds", STAT, ProcessMetrics::cpuSeconds)
        .description("Total user and system CPU time spent in seconds.").register(registry);
    Gauge.builder("process.open.fds", ProcessMetrics::openFds)
        .description("Number of open file descriptors.").register(registry);
  }

  /** VmRSS of /proc/self/status, in bytes; NaN if it cannot be read. */
  static double residentBytes() {
    try {
      for (String line : Files.readAllLines(STATUS)) {
        if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024.0;
      }
    } catch (IOException | NumberFormatException e) {
      return Double.NaN;
    }
    return Double.NaN;
  }

  /** utime + stime of /proc/self/stat (fields 14 and 15, in clock ticks of 1/100 s on Linux). */
  static double cpuSeconds(Path stat) {
    try {
      String line = Files.readString(stat);
      // the command name (field 2) may contain spaces: count fields after its closing parenthesis
      List<String> fields = List.of(line.substring(line.lastIndexOf(')') + 2).trim().split(" "));
      return (Long.parseLong(fields.get(11)) + Long.parseLong(fields.get(12))) / 100.0;
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
  }

  private static double openFds() {
    try (var entries = Files.list(FDS)) {
      return entries.count();
    } catch (IOException e) {
      return Double.NaN;
    }
  }
}

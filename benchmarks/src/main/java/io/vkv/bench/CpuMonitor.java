package io.vkv.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Is the load generator itself the bottleneck? Compares CPU time with wall time for the whole process and for
 * each event-loop thread that runs clients: a loop busy 90% of the run, or a process using 90% of the machine's
 * cores, means the numbers describe the tool as much as the server.
 */
final class CpuMonitor {
  static final double SATURATION = 0.9;

  private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
  private final com.sun.management.OperatingSystemMXBean os =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
  private final int cores = Runtime.getRuntime().availableProcessors();
  private final Map<Long, Long> loopCpuAtStart = new HashMap<>();
  private long processCpuAtStart;
  private long wallAtStart;

  /** Usage over the measured interval: cores used by the process, and the busiest loop's busy fraction. */
  record Usage(double processCores, double busiestLoop, int cores) {
    boolean saturated() {
      return busiestLoop >= SATURATION || processCores >= SATURATION * cores;
    }
  }

  void start(List<Thread> loops) {
    wallAtStart = System.nanoTime();
    processCpuAtStart = os.getProcessCpuTime();
    for (Thread t : loops) loopCpuAtStart.put(t.getId(), Math.max(0, threads.getThreadCpuTime(t.getId())));
  }

  Usage stop() {
    double wall = Math.max(1, System.nanoTime() - wallAtStart);
    double process = (os.getProcessCpuTime() - processCpuAtStart) / wall;
    double busiest = 0;
    for (Map.Entry<Long, Long> e : loopCpuAtStart.entrySet()) {
      long now = threads.getThreadCpuTime(e.getKey());
      if (now >= 0) busiest = Math.max(busiest, (now - e.getValue()) / wall);
    }
    return new Usage(process, busiest, cores);
  }
}

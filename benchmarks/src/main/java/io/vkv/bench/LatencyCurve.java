package io.vkv.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

/**
 * One run's latency by percentile, the points of a chart line: percentiles (0 to below 100, ascending) and the
 * latency in milliseconds at each, plus the maximum. Built from a histogram in memory (microseconds) or read back
 * from an {@code --hdr-out} file (HdrHistogram's percentile distribution text, in milliseconds).
 */
record LatencyCurve(String label, double[] percentiles, double[] millis, double maxMs) {
  /** HdrHistogram's default resolution of the percentile distribution: 5 steps per halving of the tail. */
  private static final int TICKS_PER_HALF = 5;

  static LatencyCurve of(String label, Histogram microseconds) {
    List<double[]> points = new ArrayList<>();
    if (microseconds.getTotalCount() > 0) {
      for (HistogramIterationValue v : microseconds.percentiles(TICKS_PER_HALF)) {
        points.add(new double[] {v.getPercentileLevelIteratedTo(),
            microseconds.highestEquivalentValue(v.getValueIteratedTo()) / 1000.0});
      }
    }
    double max = microseconds.getTotalCount() == 0 ? 0 : microseconds.getMaxValue() / 1000.0;
    return from(label, points, max);
  }

  /**
   * Reads a percentile distribution file: data lines are "value percentile count [1/(1-percentile)]" with the
   * percentile as a fraction; header and "#" summary lines are skipped.
   */
  static LatencyCurve read(Path file, String label) throws IOException {
    List<double[]> points = new ArrayList<>();
    double max = 0;
    for (String line : Files.readAllLines(file)) {
      String[] cols = line.trim().split("\\s+");
      if (cols.length < 3 || line.trim().startsWith("#")) continue;
      double value;
      double fraction;
      try {
        value = Double.parseDouble(cols[0]);
        fraction = Double.parseDouble(cols[1]);
      } catch (NumberFormatException header) {
        continue;
      }
      points.add(new double[] {fraction * 100, value});
      max = Math.max(max, value);
    }
    if (points.isEmpty()) {
      throw new IOException(file + " holds no percentile distribution (expected a file written by --hdr-out)");
    }
    return from(label, points, max);
  }

  /** Keeps the points a log "nines" axis can show: percentile below 100, one point per percentile. */
  private static LatencyCurve from(String label, List<double[]> points, double maxMs) {
    List<double[]> kept = new ArrayList<>();
    for (double[] p : points) {
      if (p[0] >= 100) continue;
      if (!kept.isEmpty() && kept.get(kept.size() - 1)[0] >= p[0]) continue;
      kept.add(p);
    }
    double[] pct = new double[kept.size()];
    double[] ms = new double[kept.size()];
    for (int i = 0; i < kept.size(); i++) {
      pct[i] = kept.get(i)[0];
      ms[i] = kept.get(i)[1];
    }
    return new LatencyCurve(label, pct, ms, maxMs);
  }

  int size() {
    return percentiles.length;
  }
}

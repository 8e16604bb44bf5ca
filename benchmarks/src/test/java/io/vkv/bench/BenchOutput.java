package io.vkv.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;

/** Runs vkv-bench in-process and checks what it prints and writes, for the tests. */
final class BenchOutput {
  /** Every field of the documented JSON line; groups: workload, ops, errors, ops_per_s, p50, client_cpu, saturated. */
  static final Pattern JSON = Pattern.compile(
      "\\{\"workload\":\"([a-z-]+)\",\"ops\":(\\d+),\"errors\":(\\d+),\"duration_s\":[0-9.]+,\"ops_per_s\":([0-9.]+),"
          + "\"p50_ms\":([0-9.]+),\"p90_ms\":[0-9.]+,\"p99_ms\":[0-9.]+,\"p999_ms\":[0-9.]+,\"max_ms\":[0-9.]+,"
          + "\"client_cpu\":([0-9.]+),\"saturated\":(true|false)}");

  record Outcome(int code, String out, String err) {
  }

  private BenchOutput() {
  }

  static Outcome run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Outcome(code, out.toString(), err.toString());
  }

  /** A bad flag stops the run before any connection is made: exit code 2, {@code expected} on stderr, nothing on stdout. */
  static void assertUsageError(String expected, String... args) {
    Outcome o = run(args);
    assertEquals(2, o.code(), o.err());
    assertTrue(o.err().contains(expected), o.err());
    assertEquals("", o.out(), "nothing on stdout for a usage error");
  }

  /** The one stdout line of a run, matched against {@link #JSON}. */
  static Matcher json(Outcome o) {
    String[] lines = o.out().strip().split("\n");
    assertEquals(1, lines.length, "exactly one JSON line on stdout: " + o.out() + o.err());
    Matcher m = JSON.matcher(lines[0]);
    assertTrue(m.matches(), lines[0]);
    return m;
  }

  /** Decodes the PNG and checks it is the chart's size. */
  static void assertChart(Path png) throws IOException {
    BufferedImage image = ImageIO.read(png.toFile());
    assertTrue(image != null, png + " is not a decodable image");
    assertEquals(PercentileChart.WIDTH, image.getWidth());
    assertEquals(PercentileChart.HEIGHT, image.getHeight());
  }
}

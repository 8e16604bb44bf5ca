package io.vkv.bench;

import static io.vkv.bench.BenchOutput.assertUsageError;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The plot command and the --hdr-out files it reads. */
class PlotCommandTest {
  /** Writes an --hdr-out file of latencies drawn around {@code medianUs}, as a run would. */
  private static Histogram writeRun(Path file, long medianUs, long seed) throws Exception {
    Histogram h = new Histogram(LoadVerticle.MAX_LATENCY_US, 3);
    Random r = new Random(seed);
    for (int i = 0; i < 20_000; i++) h.recordValue(Math.max(1, (long) (medianUs * Math.exp(r.nextGaussian()))));
    Runner.Result result = new Runner.Result("put", h.getTotalCount(), 0, 1, h, new CpuMonitor.Usage(0, 0, 2), List.of());
    Report.writeHistogram(result, file.toString());
    return h;
  }

  @Test
  void twoRunsMakeOnePng(@TempDir Path tmp) throws Exception {
    Path etcd = tmp.resolve("etcd.hdr");
    Path vkv = tmp.resolve("vkv.hdr");
    writeRun(etcd, 800, 1);
    writeRun(vkv, 1500, 2);
    Path png = tmp.resolve("put.png");
    BenchOutput.Outcome o = BenchOutput.run("plot", "--title", "put 16 clients", "--out", png.toString(),
        etcd.toString(), vkv.toString());
    assertEquals(0, o.code(), o.err());
    assertTrue(o.err().contains("2 run(s) drawn"), o.err());
    BenchOutput.assertChart(png);
  }

  @Test
  void aFileReadsBackAsTheHistogramItWasWrittenFrom(@TempDir Path tmp) throws Exception {
    Path file = tmp.resolve("run.hdr");
    Histogram h = writeRun(file, 1000, 3);
    LatencyCurve fromFile = LatencyCurve.read(file, "run");
    LatencyCurve inMemory = LatencyCurve.of("run", h);
    assertEquals(inMemory.size(), fromFile.size());
    assertArrayEquals(inMemory.percentiles(), fromFile.percentiles(), 1e-9);
    assertArrayEquals(inMemory.millis(), fromFile.millis(), 0.0005); // the file keeps 3 decimals of ms
    assertEquals(h.getMaxValue() / 1000.0, fromFile.maxMs(), 0.0005 + h.getMaxValue() / 1000.0 * 1e-3);
    assertEquals("run", PlotCommand.label(file));
  }

  @Test
  void badArguments(@TempDir Path tmp) throws Exception {
    Path run = tmp.resolve("run.hdr");
    writeRun(run, 100, 4);
    Path notHdr = Files.writeString(tmp.resolve("notes.txt"), "hello\n");
    assertUsageError("Missing required option: '--out=FILE.png'", "plot", run.toString());
    assertUsageError("Missing required parameter: 'HDR_FILE'", "plot", "--out", tmp.resolve("x.png").toString());
    assertUsageError("ending in .png", "plot", "--out", tmp.resolve("x.jpg").toString(), run.toString());
    assertUsageError("does not exist", "plot", "--out", tmp.resolve("no/dir/x.png").toString(), run.toString());
    assertUsageError("no such file", "plot", "--out", tmp.resolve("x.png").toString(), tmp.resolve("gone").toString());
    assertUsageError("holds no percentile distribution", "plot", "--out", tmp.resolve("x.png").toString(),
        notHdr.toString());
    assertUsageError("Unknown option: '--total'", "plot", "--total", "5", "--out", tmp.resolve("x.png").toString(),
        run.toString());
    assertTrue(Files.notExists(tmp.resolve("x.png")), "nothing written for bad arguments");
  }
}

package io.vkv.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code vkv-bench plot}: one chart comparing the latency percentiles of runs saved with --hdr-out. */
@Command(name = "plot", mixinStandardHelpOptions = true,
    description = "Draw a latency-by-percentile PNG comparing runs saved with --hdr-out; each line is labelled "
        + "with its file name.")
final class PlotCommand implements Callable<Integer> {
  @Option(names = "--out", required = true, paramLabel = "FILE.png", description = "The PNG to write.")
  String out;

  @Option(names = "--title", description = "Chart title (default: ${DEFAULT-VALUE}).")
  String title = "latency by percentile";

  @Parameters(arity = "1..*", paramLabel = "HDR_FILE", description = "Files written by --hdr-out.")
  List<Path> files;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    List<LatencyCurve> curves = new ArrayList<>();
    try {
      OutputFiles.check("--out", out);
      if (!out.toLowerCase(java.util.Locale.ROOT).endsWith(".png")) {
        throw new IllegalArgumentException("--out writes a PNG: give a file name ending in .png");
      }
      for (Path f : files) {
        if (!Files.isRegularFile(f)) throw new IllegalArgumentException("no such file: " + f);
        curves.add(LatencyCurve.read(f, label(f)));
      }
    } catch (IllegalArgumentException | IOException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    PercentileChart.write(curves, title, Path.of(out));
    PrintWriter err = spec.commandLine().getErr();
    err.printf("plot: %d run(s) drawn to %s%n", curves.size(), out);
    err.flush();
    return 0;
  }

  /** The file name without directory and without a .hdr/.txt extension. */
  static String label(Path f) {
    return f.getFileName().toString().replaceFirst("\\.(hdr|txt)$", "");
  }
}

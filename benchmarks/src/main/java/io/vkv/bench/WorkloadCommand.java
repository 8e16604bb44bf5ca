package io.vkv.bench;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** The shared run loop of the request-loop workloads (KV and lease keep-alive): check flags, run, report. */
abstract class WorkloadCommand implements Callable<Integer> {
  @ParentCommand
  Main global;

  @Spec
  CommandSpec spec;

  /** How a workload with checked flags is run: progress is null when not on a terminal. */
  interface Measurement {
    Runner.Result run(Settings settings, PrintWriter progress) throws Exception;
  }

  /** Checks this workload's flags and returns how to run it; throws IllegalArgumentException on bad flags. */
  abstract Measurement measurement(Main global);

  @Override
  public Integer call() throws Exception {
    Settings settings;
    Measurement measurement;
    try {
      settings = settings(global);
      measurement = measurement(global);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Runner.Result result = measurement.run(settings, System.console() != null ? err : null);
    Report.summary(result, settings, err);
    Report.writeFiles(result, settings, err);
    out.println(Report.json(result));
    out.flush();
    return result.ops() == 0 && result.errors() > 0 ? 1 : 0;
  }

  /** The global flags, checked; shared with the watch workloads. */
  static Settings settings(Main g) {
    if (g.endpoints.isEmpty()) throw new IllegalArgumentException("--endpoints must name at least one endpoint");
    if (g.conns < 1) throw new IllegalArgumentException("--conns must be >= 1");
    if (g.clients < 1) throw new IllegalArgumentException("--clients must be >= 1");
    if (g.total != null && g.duration != null) throw new IllegalArgumentException("give --total or --duration, not both");
    if (g.total != null && g.total < 1) throw new IllegalArgumentException("--total must be >= 1");
    if (g.duration != null && (g.duration.isNegative() || g.duration.isZero())) {
      throw new IllegalArgumentException("--duration must be > 0");
    }
    if (g.keySize < 1) throw new IllegalArgumentException("--key-size must be >= 1");
    if (g.valSize < 0) throw new IllegalArgumentException("--val-size must be >= 0");
    if (g.rate < 0) throw new IllegalArgumentException("--rate must be >= 0");
    if (g.timeout.isNegative()) throw new IllegalArgumentException("--timeout must be >= 0");
    if (g.eventLoops < 1) throw new IllegalArgumentException("--event-loops must be >= 1");
    OutputFiles.check("--hdr-out", g.hdrOut);
    OutputFiles.check("--plot", g.plot);
    if (g.plot != null && !g.plot.toLowerCase(java.util.Locale.ROOT).endsWith(".png")) {
      throw new IllegalArgumentException("--plot writes a PNG: give a file name ending in .png");
    }
    for (String e : g.endpoints) {
      if (!e.matches("(https?://)?(\\[[0-9a-fA-F:.]+]|[^:/\\s]+):[0-9]{1,5}/?")) {
        throw new IllegalArgumentException("--endpoints: '" + e + "' is not host:port");
      }
    }
    String user = null;
    String password = null;
    if (g.user != null) {
      int colon = g.user.indexOf(':');
      if (colon <= 0) throw new IllegalArgumentException("--user must be NAME:PASSWORD");
      user = g.user.substring(0, colon);
      password = g.user.substring(colon + 1);
    }
    ClientTls tls = ClientTls.of(g.endpoints, g.caCert, g.cert, g.key, g.insecureSkipTlsVerify);
    long total = g.duration != null ? -1 : g.total != null ? g.total : 10_000;
    return new Settings(g.endpoints, g.conns, g.clients, total, g.duration, g.rate,
        g.timeout == null ? Duration.ZERO : g.timeout, g.eventLoops, g.hdrOut, g.plot, user, password, tls);
  }
}

package io.vkv.bench;

import io.vkv.client.KvClient;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** The shared run loop of every workload subcommand: check flags, run, report. */
abstract class WorkloadCommand implements Callable<Integer> {
  @ParentCommand
  Main global;

  @Spec
  CommandSpec spec;

  /** Checks this workload's flags and returns how to build it; throws IllegalArgumentException on bad flags. */
  abstract Function<KvClient, Workload> prepare(Main global);

  @Override
  public Integer call() throws Exception {
    Settings settings;
    Function<KvClient, Workload> workload;
    try {
      settings = settings(global);
      workload = prepare(global);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Runner.Result result = Runner.run(settings, workload, System.console() != null ? err : null);
    Report.summary(result, settings, err);
    if (settings.hdrOut() != null) Report.writeHistogram(result, settings.hdrOut());
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
    for (String e : g.endpoints) {
      if (!e.matches("(https?://)?(\\[[0-9a-fA-F:.]+]|[^:/\\s]+):[0-9]{1,5}/?")) {
        throw new IllegalArgumentException("--endpoints: '" + e + "' is not host:port");
      }
    }
    long total = g.duration != null ? -1 : g.total != null ? g.total : 10_000;
    return new Settings(g.endpoints, g.conns, g.clients, total, g.duration, g.rate,
        g.timeout == null ? Duration.ZERO : g.timeout, g.eventLoops, g.hdrOut);
  }
}

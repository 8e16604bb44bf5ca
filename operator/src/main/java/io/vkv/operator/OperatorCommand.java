package io.vkv.operator;

import io.vkv.operator.backend.local.LocalPlatform;
import io.vkv.operator.backend.local.SingleHost;
import io.vkv.operator.controller.Controller;
import io.vkv.operator.reconcile.PlatformMember;
import io.vkv.operator.spec.Durations;
import io.vkv.operator.spec.SpecFiles;
import io.vkv.operator.spec.VkvCluster;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code vkv-operator spec.yaml}: runs the single-host controller for one VkvCluster spec;
 * {@code vkv-operator kubernetes}: reconciles the VkvCluster resources of a namespace ({@link KubernetesCommand}).
 */
@Command(name = "vkv-operator", mixinStandardHelpOptions = true, subcommands = KubernetesCommand.class,
    description = "Creates, resizes, heals, backs up and restores a vkv cluster of local processes from one spec file.")
public final class OperatorCommand implements Callable<Integer> {
  // not required by picocli, which would then demand them before the kubernetes subcommand too; checked in call()
  @Parameters(index = "0", arity = "0..1", paramLabel = "SPEC",
      description = "The VkvCluster spec (YAML); the status is written beside it.")
  Path spec;

  @Option(names = "--vkv-jar", description = "The vkv jar that spec.version 'current' means (required with SPEC).")
  Path vkvJar;

  @Spec
  CommandSpec commandSpec;

  @Option(names = "--period", defaultValue = "1s", description = "Pause between passes once settled (default: ${DEFAULT-VALUE}).")
  String period;

  @Option(names = "--pause-after-change", defaultValue = "0s",
      description = "Pause after each change before the next pass, to follow the steps one by one (default: ${DEFAULT-VALUE}).")
  String pauseAfterChange;

  @Option(names = "--member-jvm-options", defaultValue = "-Xmx512m",
      description = "JVM options for every member process, space-separated (default: ${DEFAULT-VALUE}).")
  String memberJvmOptions;

  @Option(names = "--once", description = "Run one pass and exit.")
  boolean once;

  @Option(names = "--destroy", description = "Stop every member and delete its data (backups are kept), then exit.")
  boolean destroy;

  @Override
  public Integer call() throws Exception {
    if (spec == null) {
      throw new ParameterException(commandSpec.commandLine(), "Missing required parameter: SPEC (or the kubernetes subcommand)");
    }
    if (vkvJar == null) throw new ParameterException(commandSpec.commandLine(), "Missing required option: --vkv-jar");
    Duration pause = duration("--period", period);
    Duration afterChange = duration("--pause-after-change", pauseAfterChange);
    Path specFile = spec.toAbsolutePath();
    List<String> jvm = Arrays.stream(memberJvmOptions.trim().split("\\s+")).filter(s -> !s.isEmpty()).toList();
    SingleHost host = new SingleHost(specFile.getParent(), vkvJar, jvm);
    if (destroy) {
      VkvCluster desired = SpecFiles.readSpec(specFile);
      LocalPlatform platform = host.platform(desired);
      for (PlatformMember p : platform.list()) {
        platform.delete(p.name());
        System.out.println("deleted " + p.name());
      }
      return 0;
    }
    try (Controller controller = new Controller(specFile, host, Clock.systemUTC(), System.out)) {
      if (once) {
        return controller.pass().error() == null ? 0 : 1;
      }
      controller.run(pause, afterChange);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 0;
  }

  private Duration duration(String option, String text) {
    try {
      return Durations.parse(text);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(commandSpec.commandLine(), "Invalid value for option '" + option + "': " + e.getMessage());
    }
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new OperatorCommand()).execute(args));
  }
}

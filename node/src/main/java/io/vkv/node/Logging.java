package io.vkv.node;

import java.util.logging.ConsoleHandler;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/** Maps etcd's --log-level names onto java.util.logging, which Vert.x and slf4j-jdk14 log through. */
final class Logging {
  static void configure(String etcdLevel) {
    Level level = switch (etcdLevel) {
      case "debug" -> Level.FINE;
      case "warn" -> Level.WARNING;
      case "error", "panic", "fatal" -> Level.SEVERE;
      default -> Level.INFO;
    };
    System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tFT%1$tT.%1$tLZ %4$s %3$s: %5$s%6$s%n");
    Logger root = Logger.getLogger("");
    for (var h : root.getHandlers()) root.removeHandler(h);
    ConsoleHandler console = new ConsoleHandler();
    console.setFormatter(new SimpleFormatter());
    console.setLevel(level);
    root.addHandler(console);
    root.setLevel(level);
  }

  private Logging() {}
}

package io.vkv.bench;

import java.time.Duration;
import picocli.CommandLine;

/** Go-style durations as etcd's tools take them: 500ms, 30s, 2m, 1h (a bare number is seconds). */
final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
  @Override
  public Duration convert(String value) {
    String v = value.trim();
    try {
      if (v.endsWith("ms")) return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
      if (v.endsWith("s")) return Duration.ofMillis((long) (Double.parseDouble(v.substring(0, v.length() - 1)) * 1000));
      if (v.endsWith("m")) return Duration.ofSeconds(Long.parseLong(v.substring(0, v.length() - 1)) * 60);
      if (v.endsWith("h")) return Duration.ofSeconds(Long.parseLong(v.substring(0, v.length() - 1)) * 3600);
      return Duration.ofMillis((long) (Double.parseDouble(v) * 1000));
    } catch (NumberFormatException e) {
      throw new CommandLine.TypeConversionException("'" + value + "' is not a duration (e.g. 500ms, 30s, 2m)");
    }
  }
}

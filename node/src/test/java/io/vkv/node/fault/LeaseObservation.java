package io.vkv.node.fault;

import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;

/** The lease workload's keys one member held (a serializable range of the prefix) at {@code atNanos}. */
public record LeaseObservation(String member, long atNanos, Set<String> present) {

  String toLine() {
    return String.join("\t", "LO", member, String.valueOf(atNanos), String.join(",", new TreeSet<>(present)));
  }

  static LeaseObservation fromFields(String[] f) {
    return new LeaseObservation(f[1], Long.parseLong(f[2]),
        f[3].isEmpty() ? Set.of() : new TreeSet<>(Arrays.asList(f[3].split(","))));
  }
}

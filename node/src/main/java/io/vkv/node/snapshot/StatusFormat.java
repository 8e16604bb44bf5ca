package io.vkv.node.snapshot;

import io.vkv.store.etcdformat.SnapshotStatus;

/** Prints a snapshot's status as {@code etcdctl snapshot status -w simple|table|json} does. */
final class StatusFormat {
  private StatusFormat() {}

  static String format(SnapshotStatus s, String writeOut) {
    String hash = Integer.toHexString(s.hash());
    String size = humanBytes(s.totalSize());
    return switch (writeOut) {
      case "simple" -> String.format("%s, %d, %d, %s%n", hash, s.revision(), s.totalKeys(), size);
      case "json" -> String.format("{\"hash\":%s,\"revision\":%d,\"totalKey\":%d,\"totalSize\":%d}%n",
          Integer.toUnsignedString(s.hash()), s.revision(), s.totalKeys(), s.totalSize());
      case "table" -> table(new String[] {"HASH", "REVISION", "TOTAL KEYS", "TOTAL SIZE"},
          new String[] {hash, Long.toString(s.revision()), Long.toString(s.totalKeys()), size});
      default -> throw new IllegalArgumentException("unsupported output format '" + writeOut + "' (simple, table or json)");
    };
  }

  /** etcdctl's table: headers centred, values right-aligned, one space of padding. */
  private static String table(String[] headers, String[] values) {
    StringBuilder line = new StringBuilder("+");
    StringBuilder head = new StringBuilder("|");
    StringBuilder row = new StringBuilder("|");
    for (int i = 0; i < headers.length; i++) {
      int w = Math.max(headers[i].length(), values[i].length());
      line.append("-".repeat(w + 2)).append('+');
      int gap = w - headers[i].length();
      head.append(' ').append(" ".repeat(gap / 2)).append(headers[i]).append(" ".repeat(gap - gap / 2)).append(" |");
      row.append(' ').append(" ".repeat(w - values[i].length())).append(values[i]).append(" |");
    }
    String sep = line.append('\n').toString();
    return sep + head + "\n" + sep + row + "\n" + sep;
  }

  /** SI sizes as etcdctl prints them (go-humanize's Bytes): "37 kB", "2.1 MB", "512 B". */
  static String humanBytes(long bytes) {
    if (bytes < 10) return bytes + " B";
    String[] units = {"B", "kB", "MB", "GB", "TB", "PB", "EB"};
    int e = (int) Math.floor(Math.log(bytes) / Math.log(1000));
    double v = Math.floor(bytes / Math.pow(1000, e) * 10 + 0.5) / 10;
    // Go's %.0f rounds half to even (12.5 -> "12"); String.format would round half up
    java.math.BigDecimal d = new java.math.BigDecimal(v).setScale(v < 10 ? 1 : 0, java.math.RoundingMode.HALF_EVEN);
    return d.toPlainString() + " " + units[e];
  }
}

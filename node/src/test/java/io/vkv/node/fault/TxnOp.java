package io.vkv.node.fault;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One multi-key txn of the txn workload on its group of keys, as the client saw it (times and unknown outcomes as
 * in {@link Op}: {@link Op#NEVER} returns for a timeout or an error, which "maybe happened").
 *
 * <p>A WRITE puts {@code values} to {@code keys} at once; a READ reads every key of the group in one txn, finding
 * {@code result} (null: absent) at {@code resultRevs}; a CAS compares the mod revisions of its two {@code keys}
 * with {@code expectedRevs} (what the client last saw, its values {@code expected}), then puts {@code values}
 * (outcome OK) or else reads both keys (outcome FAILED, what it found in {@code result}). Values are unique per
 * write, so a value names the txn that wrote it, and comparing mod revisions is comparing values.
 *
 * @param headerRev the response header's revision (0 for an unknown outcome)
 */
public record TxnOp(int id, int client, String member, Kind kind, List<String> keys, List<String> values,
    List<String> expected, List<Long> expectedRevs, long invokeNanos, long returnNanos, Op.Outcome outcome,
    List<String> result, List<Long> resultRevs, long headerRev) implements TimedOp {

  public enum Kind { WRITE, READ, CAS }

  public boolean known() {
    return outcome != Op.Outcome.UNKNOWN;
  }

  /** A txn known to have written (a WRITE, or a CAS that swapped). */
  public boolean ackedWrite() {
    return outcome == Op.Outcome.OK && kind != Kind.READ;
  }

  public boolean mayWrite() {
    return kind != Kind.READ && outcome != Op.Outcome.FAILED;
  }

  /** The same txn, now known to have ended (OK) at {@code returnNanos}. */
  TxnOp knownAt(long returnNanos) {
    return new TxnOp(id, client, member, kind, keys, values, expected, expectedRevs, invokeNanos, returnNanos,
        Op.Outcome.OK, result, resultRevs, headerRev);
  }

  /** The same answered read, finding {@code found} instead. */
  TxnOp readAs(List<String> found, List<Long> foundRevs) {
    return new TxnOp(id, client, member, kind, keys, values, expected, expectedRevs, invokeNanos, returnNanos, outcome,
        found, foundRevs, headerRev);
  }

  // ---- builders for hand-written histories (keys "a", "b", ...) ----

  public static TxnOp write(int id, List<String> keys, List<String> values, long invoke, long ret) {
    return new TxnOp(id, 0, "-", Kind.WRITE, keys, values, List.of(), List.of(), invoke, ret, Op.Outcome.OK, List.of(),
        List.of(), 0);
  }

  public static TxnOp writeUnknown(int id, List<String> keys, List<String> values, long invoke) {
    return new TxnOp(id, 0, "-", Kind.WRITE, keys, values, List.of(), List.of(), invoke, Op.NEVER, Op.Outcome.UNKNOWN,
        List.of(), List.of(), 0);
  }

  /** A read of {@code keys} finding {@code found} (null elements: absent). */
  public static TxnOp read(int id, List<String> keys, List<String> found, long invoke, long ret) {
    return new TxnOp(id, 0, "-", Kind.READ, keys, List.of(), List.of(), List.of(), invoke, ret, Op.Outcome.OK, found,
        zeros(found.size()), 0);
  }

  public static TxnOp cas(int id, List<String> keys, List<String> expected, List<String> values, boolean swapped,
      List<String> found, long invoke, long ret) {
    return new TxnOp(id, 0, "-", Kind.CAS, keys, values, expected, zeros(expected.size()), invoke, ret,
        swapped ? Op.Outcome.OK : Op.Outcome.FAILED, swapped ? List.of() : found, swapped ? List.of() : zeros(found.size()), 0);
  }

  public static TxnOp casUnknown(int id, List<String> keys, List<String> expected, List<String> values, long invoke) {
    return new TxnOp(id, 0, "-", Kind.CAS, keys, values, expected, zeros(expected.size()), invoke, Op.NEVER,
        Op.Outcome.UNKNOWN, List.of(), List.of(), 0);
  }

  private static List<Long> zeros(int n) {
    return new ArrayList<>(java.util.Collections.nCopies(n, 0L));
  }

  // ---- the history file: tag "TX", tab-separated fields, lists comma-separated, "-" for null ----

  String toLine() {
    return String.join("\t", "TX", String.valueOf(id), String.valueOf(client), member, kind.name(), enc(keys),
        enc(values), enc(expected), encRevs(expectedRevs), String.valueOf(invokeNanos), String.valueOf(returnNanos),
        outcome.name(), enc(result), encRevs(resultRevs), String.valueOf(headerRev));
  }

  static TxnOp fromFields(String[] f) {
    if (f.length != 15 || !f[0].equals("TX")) throw new IllegalArgumentException("not a txn line: " + String.join("\t", f));
    return new TxnOp(Integer.parseInt(f[1]), Integer.parseInt(f[2]), f[3], Kind.valueOf(f[4]), dec(f[5]), dec(f[6]),
        dec(f[7]), decRevs(f[8]), Long.parseLong(f[9]), Long.parseLong(f[10]), Op.Outcome.valueOf(f[11]), dec(f[12]),
        decRevs(f[13]), Long.parseLong(f[14]));
  }

  /** The txn records among a history file's lines. */
  static List<TxnOp> parse(List<String> lines) {
    List<TxnOp> out = new ArrayList<>();
    for (String line : lines) {
      if (line.startsWith("TX\t")) out.add(fromFields(line.split("\t", -1)));
    }
    return out;
  }

  private static String enc(List<String> l) {
    return String.join(",", l.stream().map(s -> s == null ? "-" : s).toList());
  }

  private static List<String> dec(String s) {
    if (s.isEmpty()) return List.of();
    return Arrays.stream(s.split(",", -1)).map(x -> x.equals("-") ? null : x).toList();
  }

  private static String encRevs(List<Long> l) {
    return String.join(",", l.stream().map(String::valueOf).toList());
  }

  private static List<Long> decRevs(String s) {
    if (s.isEmpty()) return List.of();
    return Arrays.stream(s.split(",", -1)).map(Long::valueOf).toList();
  }

  @Override
  public String toString() {
    String what = switch (kind) {
      case WRITE -> "write(" + pairs(keys, values) + ")";
      case READ -> "read(" + String.join(",", keys) + ")";
      case CAS -> "cas(" + pairs(keys, expected) + " -> " + pairs(keys, values) + ")";
    };
    String res = switch (outcome) {
      case UNKNOWN -> "unknown";
      case FAILED -> "not swapped, found " + pairs(keys, result) + " " + resultRevs;
      case OK -> kind == Kind.READ ? pairs(keys, result) + " " + resultRevs : "ok";
    };
    return "#" + id + " c" + client + "@" + member + " " + what + " -> " + res + " rev " + headerRev + " ["
        + invokeNanos + ", " + (returnNanos == Op.NEVER ? "inf" : String.valueOf(returnNanos)) + "]";
  }

  private static String pairs(List<String> keys, List<String> values) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < keys.size(); i++) {
      if (i > 0) sb.append(' ');
      sb.append(keys.get(i)).append('=').append(i < values.size() ? values.get(i) : "?");
    }
    return sb.toString();
  }
}

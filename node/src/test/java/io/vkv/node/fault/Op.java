package io.vkv.node.fault;

import java.util.Objects;

/**
 * One client operation on one key of the register workload, as the client saw it: when it was invoked and when its
 * answer came back ({@link #returnNanos} is {@link #NEVER} when the outcome is unknown: a timeout or a connection
 * error, so the operation may or may not have taken effect, at any time after its invocation).
 *
 * <p>Values are unique per write, so a value names the write that produced it; {@code null} is "key absent".
 *
 * @param id unique in the history
 * @param client the client (thread) that ran it
 * @param member the member (by member id, hex) the client sent it to
 * @param kind put, get or compare-and-swap
 * @param key the key
 * @param value what a put or CAS writes (null for a get)
 * @param expected what a CAS expected the key to hold (null: absent)
 * @param expectedRev the mod revision the CAS compared with (0: absent)
 * @param invokeNanos when the client sent it
 * @param returnNanos when the answer arrived, {@link #NEVER} for an unknown outcome
 * @param outcome how it ended
 * @param result the value a get read, or a failed CAS found (null: absent)
 * @param resultModRev the mod revision of what a get read or a failed CAS found (0: absent)
 * @param headerRev the response header's revision (0 for an unknown outcome)
 */
public record Op(int id, int client, String member, Kind kind, String key, String value, String expected, long expectedRev,
    long invokeNanos, long returnNanos, Outcome outcome, String result, long resultModRev, long headerRev) implements TimedOp {

  public static final long NEVER = Long.MAX_VALUE;

  public enum Kind { PUT, GET, CAS }

  /** OK: done (a put, a get, a CAS that swapped); FAILED: a CAS whose comparison failed; UNKNOWN: maybe happened. */
  public enum Outcome { OK, FAILED, UNKNOWN }

  public boolean known() {
    return outcome != Outcome.UNKNOWN;
  }

  /** A write that is known to have taken effect (its header revision is the write's revision). */
  public boolean ackedWrite() {
    return outcome == Outcome.OK && kind != Kind.GET;
  }

  public boolean mayWrite() {
    return kind != Kind.GET && outcome != Outcome.FAILED;
  }

  // ---- builders for hand-written histories ----

  public static Op put(int id, String key, String value, long invoke, long ret) {
    return new Op(id, 0, "-", Kind.PUT, key, value, null, 0, invoke, ret, Outcome.OK, null, 0, 0);
  }

  public static Op putUnknown(int id, String key, String value, long invoke) {
    return new Op(id, 0, "-", Kind.PUT, key, value, null, 0, invoke, NEVER, Outcome.UNKNOWN, null, 0, 0);
  }

  public static Op get(int id, String key, String read, long invoke, long ret) {
    return new Op(id, 0, "-", Kind.GET, key, null, null, 0, invoke, ret, Outcome.OK, read, 0, 0);
  }

  public static Op cas(int id, String key, String expected, String value, boolean swapped, String found, long invoke,
      long ret) {
    return new Op(id, 0, "-", Kind.CAS, key, value, expected, 0, invoke, ret, swapped ? Outcome.OK : Outcome.FAILED,
        swapped ? null : found, 0, 0);
  }

  public static Op casUnknown(int id, String key, String expected, String value, long invoke) {
    return new Op(id, 0, "-", Kind.CAS, key, value, expected, 0, invoke, NEVER, Outcome.UNKNOWN, null, 0, 0);
  }

  // ---- the history file: one op a line, tab-separated, "-" for null ----

  public String toLine() {
    return String.join("\t", String.valueOf(id), String.valueOf(client), member, kind.name(), key, enc(value),
        enc(expected), String.valueOf(expectedRev), String.valueOf(invokeNanos), String.valueOf(returnNanos),
        outcome.name(), enc(result), String.valueOf(resultModRev), String.valueOf(headerRev));
  }

  public static Op fromLine(String line) {
    String[] f = line.split("\t", -1);
    if (f.length != 14) throw new IllegalArgumentException("not a history line: " + line);
    return new Op(Integer.parseInt(f[0]), Integer.parseInt(f[1]), f[2], Kind.valueOf(f[3]), f[4], dec(f[5]), dec(f[6]),
        Long.parseLong(f[7]), Long.parseLong(f[8]), Long.parseLong(f[9]), Outcome.valueOf(f[10]), dec(f[11]),
        Long.parseLong(f[12]), Long.parseLong(f[13]));
  }

  private static String enc(String s) {
    return s == null ? "-" : s;
  }

  private static String dec(String s) {
    return s.equals("-") ? null : s;
  }

  @Override
  public String toString() {
    String what = switch (kind) {
      case PUT -> "put(" + key + "=" + value + ")";
      case GET -> "get(" + key + ")";
      case CAS -> "cas(" + key + ": " + expected + "@" + expectedRev + " -> " + value + ")";
    };
    String res = switch (outcome) {
      case UNKNOWN -> "unknown";
      case FAILED -> "not swapped, found " + result + "@" + resultModRev;
      case OK -> kind == Kind.GET ? result + "@" + resultModRev : "ok";
    };
    return "#" + id + " c" + client + "@" + member + " " + what + " -> " + res + " rev " + headerRev + " ["
        + invokeNanos + ", " + (returnNanos == NEVER ? "inf" : String.valueOf(returnNanos)) + "]";
  }

  static boolean same(String a, String b) {
    return Objects.equals(a, b);
  }
}

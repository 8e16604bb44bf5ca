package io.vkv.node.fault;

import java.util.ArrayList;
import java.util.List;

/**
 * One lease of the lease workload as its client saw it: granted, a key attached, then kept alive to the end, revoked,
 * or left to expire. Times are {@code System.nanoTime()}; an unknown outcome ends when the client gave up.
 *
 * @param id the lease id (granted by the server)
 * @param ttlMs the granted TTL
 * @param put how the put of {@code key} with the lease ended
 * @param revoke how the revoke ended (null: never revoked)
 * @param renewals the keep-alives sent, in order
 */
public record LeaseRecord(int client, long id, long ttlMs, String key, Op.Outcome put, Fate fate, long grantInvoke,
    long grantReturn, long putReturn, long revokeInvoke, long revokeEnd, Op.Outcome revoke, List<Renewal> renewals) {

  /** What the client meant to do with the lease after attaching its key. */
  public enum Fate { KEEP, REVOKE, EXPIRE }

  /** One keep-alive: sent, answered (or given up) at {@code endNanos} with {@code ttlSeconds} (-1: no answer). */
  public record Renewal(long sendNanos, long endNanos, long ttlSeconds) {}

  /** The latest time anything the client sent could have renewed the lease. */
  long lastTouch() {
    long t = grantReturn;
    for (Renewal r : renewals) t = Math.max(t, r.endNanos());
    return t;
  }

  String toLine() {
    StringBuilder rs = new StringBuilder();
    for (Renewal r : renewals) rs.append(rs.isEmpty() ? "" : ";").append(r.sendNanos()).append(':').append(r.endNanos())
        .append(':').append(r.ttlSeconds());
    return String.join("\t", "LR", String.valueOf(client), String.valueOf(id), String.valueOf(ttlMs), key, put.name(),
        fate.name(), String.valueOf(grantInvoke), String.valueOf(grantReturn), String.valueOf(putReturn),
        String.valueOf(revokeInvoke), String.valueOf(revokeEnd), revoke == null ? "-" : revoke.name(), rs.toString());
  }

  static LeaseRecord fromFields(String[] f) {
    List<Renewal> rs = new ArrayList<>();
    if (!f[13].isEmpty()) {
      for (String r : f[13].split(";")) {
        String[] p = r.split(":");
        rs.add(new Renewal(Long.parseLong(p[0]), Long.parseLong(p[1]), Long.parseLong(p[2])));
      }
    }
    return new LeaseRecord(Integer.parseInt(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3]), f[4], Op.Outcome.valueOf(f[5]),
        Fate.valueOf(f[6]), Long.parseLong(f[7]), Long.parseLong(f[8]), Long.parseLong(f[9]), Long.parseLong(f[10]),
        Long.parseLong(f[11]), f[12].equals("-") ? null : Op.Outcome.valueOf(f[12]), rs);
  }

  @Override
  public String toString() {
    return "lease " + Long.toHexString(id) + " (c" + client + ", ttl " + ttlMs + " ms, " + fate + ") key " + key + " put "
        + put + (revoke == null ? "" : " revoke " + revoke) + ", " + renewals.size() + " keep-alives";
  }
}

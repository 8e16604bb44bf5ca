package io.vkv.node.fault;

/**
 * A write a lock holder made while it believed it held the lock: a Txn comparing the create revision of its lock
 * key with its fencing token, putting {@code value} (unique, naming the hold) to the fence key if it matches.
 * OK: applied at {@code headerRev}; FAILED: the comparison failed; UNKNOWN: maybe applied.
 */
public record FencedWrite(int client, int round, String value, Op.Outcome outcome, long headerRev) {

  String holding() {
    return "c" + client + "-r" + round;
  }

  String toLine() {
    return String.join("\t", "LW", String.valueOf(client), String.valueOf(round), value, outcome.name(),
        String.valueOf(headerRev));
  }

  static FencedWrite fromFields(String[] f) {
    return new FencedWrite(Integer.parseInt(f[1]), Integer.parseInt(f[2]), f[3], Op.Outcome.valueOf(f[4]), Long.parseLong(f[5]));
  }
}

package io.vkv.node.fault;

/**
 * A client's hold of the lock: v3lock {@code Lock} answered with {@code lockKey} at header revision {@code grantRev},
 * and the key's create revision (read right after) is the fencing token its guarded writes compare with.
 */
public record LockHolding(int client, int round, String lockKey, long grantRev, long createRev) {

  String id() {
    return "c" + client + "-r" + round;
  }

  String toLine() {
    return String.join("\t", "LH", String.valueOf(client), String.valueOf(round), lockKey, String.valueOf(grantRev),
        String.valueOf(createRev));
  }

  static LockHolding fromFields(String[] f) {
    return new LockHolding(Integer.parseInt(f[1]), Integer.parseInt(f[2]), f[3], Long.parseLong(f[4]), Long.parseLong(f[5]));
  }
}

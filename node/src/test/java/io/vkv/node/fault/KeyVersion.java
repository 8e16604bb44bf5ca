package io.vkv.node.fault;

/**
 * One version of a key as the store keeps it after a run ({@code Range(key, revision = r)}): the ground truth the
 * watch and lock checkers compare what clients saw with.
 */
public record KeyVersion(String key, long modRev, long createRev, String value) {

  String toLine(String tag) {
    return String.join("\t", tag, key, String.valueOf(modRev), String.valueOf(createRev), value);
  }

  static KeyVersion fromFields(String[] f) {
    return new KeyVersion(f[1], Long.parseLong(f[2]), Long.parseLong(f[3]), f[4]);
  }
}

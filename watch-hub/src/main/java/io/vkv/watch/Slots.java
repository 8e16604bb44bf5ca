package io.vkv.watch;

import java.util.Arrays;
import java.util.function.Consumer;

/**
 * A compact multiset of watchers in one field: null, a single {@link Watcher}, or a
 * {@code Watcher[]}. Most keys have one watcher, so this avoids a collection per key.
 */
final class Slots {
  private Slots() {}

  static Object add(Object slot, Watcher w) {
    if (slot == null) {
      return w;
    }
    if (slot instanceof Watcher one) {
      return new Watcher[] {one, w};
    }
    Watcher[] many = (Watcher[]) slot;
    Watcher[] grown = Arrays.copyOf(many, many.length + 1);
    grown[many.length] = w;
    return grown;
  }

  /** The slot without w (null when empty); the same slot if w was not in it. */
  static Object remove(Object slot, Watcher w) {
    if (slot == w) {
      return null;
    }
    if (!(slot instanceof Watcher[] many)) {
      return slot;
    }
    int i = 0;
    while (i < many.length && many[i] != w) {
      i++;
    }
    if (i == many.length) {
      return slot;
    }
    if (many.length == 2) {
      return many[1 - i];
    }
    Watcher[] shrunk = new Watcher[many.length - 1];
    System.arraycopy(many, 0, shrunk, 0, i);
    System.arraycopy(many, i + 1, shrunk, i, many.length - i - 1);
    return shrunk;
  }

  static void forEach(Object slot, Consumer<Watcher> out) {
    if (slot instanceof Watcher one) {
      out.accept(one);
    } else if (slot != null) {
      for (Watcher w : (Watcher[]) slot) {
        out.accept(w);
      }
    }
  }
}

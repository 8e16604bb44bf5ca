package io.vkv.watch;

import com.google.protobuf.ByteString;
import java.util.function.Consumer;

/**
 * Range watchers keyed by start key in unsigned byte order, answering "which ranges contain this
 * key" in O(log n + matches). A treap (randomised balanced BST) with each node augmented by the
 * largest range end in its subtree, so subtrees that end at or before the key are skipped.
 * An empty end means "no upper bound" and sorts after every key.
 */
final class IntervalTree {

  private static final class Node {
    final ByteString start;
    final int priority;
    Object watchers; // Slots: all with this start key
    ByteString maxEnd; // largest end in this subtree
    Node left;
    Node right;

    Node(ByteString start, int priority) {
      this.start = start;
      this.priority = priority;
    }
  }

  private Node root;
  /** xorshift state: deterministic balance, no shared Random. */
  private int seed = 0x2545F491;

  void add(Watcher w) {
    root = insert(root, w);
  }

  void remove(Watcher w) {
    root = delete(root, w);
  }

  /** Every watcher whose range contains key. */
  void stab(ByteString key, Consumer<Watcher> out) {
    stab(root, key, out);
  }

  void forEach(Consumer<Watcher> out) {
    walk(root, out);
  }

  private Node insert(Node n, Watcher w) {
    if (n == null) {
      n = new Node(w.key(), nextPriority());
      n.watchers = w;
      update(n);
      return n;
    }
    int c = Watcher.KEY_ORDER.compare(w.key(), n.start);
    if (c == 0) {
      n.watchers = Slots.add(n.watchers, w);
    } else if (c < 0) {
      n.left = insert(n.left, w);
      if (n.left.priority > n.priority) {
        n = rotateRight(n);
      }
    } else {
      n.right = insert(n.right, w);
      if (n.right.priority > n.priority) {
        n = rotateLeft(n);
      }
    }
    update(n);
    return n;
  }

  private Node delete(Node n, Watcher w) {
    if (n == null) {
      return null;
    }
    int c = Watcher.KEY_ORDER.compare(w.key(), n.start);
    if (c == 0) {
      n.watchers = Slots.remove(n.watchers, w);
      if (n.watchers == null) {
        return merge(n.left, n.right);
      }
    } else if (c < 0) {
      n.left = delete(n.left, w);
    } else {
      n.right = delete(n.right, w);
    }
    update(n);
    return n;
  }

  private static Node merge(Node a, Node b) {
    if (a == null) {
      return b;
    }
    if (b == null) {
      return a;
    }
    if (a.priority > b.priority) {
      a.right = merge(a.right, b);
      update(a);
      return a;
    }
    b.left = merge(a, b.left);
    update(b);
    return b;
  }

  private static Node rotateRight(Node n) {
    Node l = n.left;
    n.left = l.right;
    update(n);
    l.right = n;
    return l;
  }

  private static Node rotateLeft(Node n) {
    Node r = n.right;
    n.right = r.left;
    update(n);
    r.left = n;
    return r;
  }

  private static void update(Node n) {
    ByteString m = null;
    if (n.watchers instanceof Watcher one) {
      m = one.rangeEnd();
    } else {
      for (Watcher w : (Watcher[]) n.watchers) {
        m = maxEnd(m, w.rangeEnd());
      }
    }
    if (n.left != null) {
      m = maxEnd(m, n.left.maxEnd);
    }
    if (n.right != null) {
      m = maxEnd(m, n.right.maxEnd);
    }
    n.maxEnd = m;
  }

  private static ByteString maxEnd(ByteString a, ByteString b) {
    if (a == null) {
      return b;
    }
    if (b == null || a.isEmpty()) {
      return a;
    }
    return b.isEmpty() || Watcher.KEY_ORDER.compare(b, a) > 0 ? b : a;
  }

  private static void stab(Node n, ByteString key, Consumer<Watcher> out) {
    // ends are exclusive: a subtree whose largest end is <= key holds no match
    if (n == null || (!n.maxEnd.isEmpty() && Watcher.KEY_ORDER.compare(n.maxEnd, key) <= 0)) {
      return;
    }
    stab(n.left, key, out);
    if (Watcher.KEY_ORDER.compare(n.start, key) <= 0) {
      if (n.watchers instanceof Watcher one) {
        emitIfContains(one, key, out);
      } else {
        for (Watcher w : (Watcher[]) n.watchers) {
          emitIfContains(w, key, out);
        }
      }
      stab(n.right, key, out); // right starts are larger: only worth it if this start <= key
    }
  }

  private static void emitIfContains(Watcher w, ByteString key, Consumer<Watcher> out) {
    ByteString end = w.rangeEnd();
    if (end.isEmpty() || Watcher.KEY_ORDER.compare(key, end) < 0) {
      out.accept(w);
    }
  }

  private static void walk(Node n, Consumer<Watcher> out) {
    if (n != null) {
      walk(n.left, out);
      Slots.forEach(n.watchers, out);
      walk(n.right, out);
    }
  }

  private int nextPriority() {
    int x = seed;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    seed = x;
    return x;
  }
}

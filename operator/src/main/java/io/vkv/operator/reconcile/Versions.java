package io.vkv.operator.reconcile;

/** Compares dotted version numbers (3.4.0 < 3.4.10 < 3.5.0); the cluster's version is the lowest of its members'. */
final class Versions {
  private Versions() {}

  static int compare(String a, String b) {
    String[] x = a.split("[.-]");
    String[] y = b.split("[.-]");
    for (int i = 0; i < Math.min(x.length, y.length); i++) {
      int c;
      try {
        c = Integer.compare(Integer.parseInt(x[i]), Integer.parseInt(y[i]));
      } catch (NumberFormatException e) {
        c = x[i].compareTo(y[i]);
      }
      if (c != 0) return c;
    }
    return Integer.compare(x.length, y.length);
  }
}

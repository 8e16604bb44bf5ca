package io.vkv.node.fault;

import java.util.ArrayList;
import java.util.List;

/**
 * A run's txn figures, the txn checker's verdict on its txn history, and the verdict on that history with one final
 * group read made stale (null if it had no write to make one stale with) — which must be NOT_LINEARIZABLE, so that a
 * txn checker that passes everything fails the CI run.
 */
record TxnStats(TxnChecker.Verdict verdict, int ops, int acked, int casFailed, int unknown, long checkMillis,
    RegisterChecker.Status staleVerdict) {

  static TxnStats of(List<TxnOp> history) {
    long c0 = System.nanoTime();
    TxnChecker.Verdict verdict = new TxnChecker().check(history);
    long checkMs = (System.nanoTime() - c0) / 1_000_000;
    List<TxnOp> stale = withOneFinalGroupReadStale(history);
    RegisterChecker.Status staleVerdict = stale == null ? null : new TxnChecker().check(stale).status();
    int acked = (int) history.stream().filter(TxnOp::ackedWrite).count();
    int failed = (int) history.stream().filter(o -> o.outcome() == Op.Outcome.FAILED).count();
    int unknown = (int) history.stream().filter(o -> !o.known()).count();
    return new TxnStats(verdict, history.size(), acked, failed, unknown, checkMs, staleVerdict);
  }

  boolean bites() {
    return staleVerdict == RegisterChecker.Status.NOT_LINEARIZABLE;
  }

  String summary() {
    return String.format("txn=%s(ops=%d acked writes=%d cas-failed=%d unknown=%d check=%dms%s)",
        verdict.linearizable() ? "PASS" : verdict.status(), ops, acked, casFailed, unknown, checkMillis,
        bites() ? "" : " DOES-NOT-BITE");
  }

  /**
   * The txn history with one final group read (client -1) changed to find, for one key, the value of an acknowledged
   * txn {@code a} that another acknowledged txn {@code b} writing that key followed (a ended before b started, b
   * before the read): a stale read no linearization allows. Null if the history has no such pair.
   */
  static List<TxnOp> withOneFinalGroupReadStale(List<TxnOp> history) {
    for (int i = 0; i < history.size(); i++) {
      TxnOp r = history.get(i);
      if (r.client() != -1 || r.kind() != TxnOp.Kind.READ) continue;
      for (int k = 0; k < r.keys().size(); k++) {
        String key = r.keys().get(k);
        List<TxnOp> writes = history.stream().filter(o -> o.ackedWrite() && o.keys().contains(key)
            && o.returnNanos() < r.invokeNanos()).toList();
        for (TxnOp a : writes) {
          String old = a.values().get(a.keys().indexOf(key));
          if (old.equals(r.result().get(k))) continue;
          for (TxnOp b : writes) {
            if (a.returnNanos() < b.invokeNanos()) {
              List<String> found = new ArrayList<>(r.result());
              List<Long> revs = new ArrayList<>(r.resultRevs());
              found.set(k, old);
              revs.set(k, a.headerRev());
              List<TxnOp> out = new ArrayList<>(history);
              out.set(i, r.readAs(found, revs));
              return out;
            }
          }
        }
      }
    }
    return null;
  }
}

package io.vkv.node.fault;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks what watchers received against the store's history of the watched keys (etcd's watch guarantees):
 * <ul>
 *   <li><b>ordered</b>: per watcher, events come in increasing revision order, and the events of one revision (one
 *       txn) in the txn's order — the only multi-key txn in the workloads writes its keys in key order;
 *   <li><b>complete and unique across resumes</b>: every version of a watched key with {@code startRev <=
 *       mod_revision <= caughtUpRev} arrives exactly once, whatever streams the watcher went through;
 *   <li><b>real</b>: every event is a version the store has (same value and create revision) and its value was
 *       written by a client; none is before the watcher's start revision; a response's header revision is not
 *       below its events' revisions;
 *   <li><b>atomic</b>: all the events of one revision arrive in one response.
 * </ul>
 */
public final class WatchChecker {
  private WatchChecker() {
  }

  private record At(String key, long rev) {}

  /**
   * @param events every event received, in the order each watcher received them
   * @param truth every version of the watched keys in the checked revisions (keys never deleted in the workloads)
   * @param written every value a client wrote or may have written to a watched key
   * @return the violations found, at most {@code limit} per watcher
   */
  public static List<String> check(List<WatchedEvent> events, List<WatcherSpan> spans, List<KeyVersion> truth,
      Collection<String> written, int limit) {
    List<String> problems = new ArrayList<>();
    Set<String> writtenSet = new HashSet<>(written);
    Map<At, KeyVersion> store = new HashMap<>();
    for (KeyVersion v : truth) {
      store.put(new At(v.key(), v.modRev()), v);
      if (!writtenSet.contains(v.value())) problems.add("the store holds " + v + ", a value no client wrote");
    }
    for (WatcherSpan span : spans) {
      List<String> found = new ArrayList<>();
      List<WatchedEvent> mine = events.stream().filter(e -> e.watcher() == span.watcher()).toList();
      Set<At> seen = new HashSet<>();
      Map<Long, WatchedEvent> firstOfRevision = new HashMap<>();
      WatchedEvent prev = null;
      for (WatchedEvent e : mine) {
        At at = new At(e.key(), e.modRev());
        if (prev != null && (e.modRev() < prev.modRev() || e.modRev() == prev.modRev() && e.key().compareTo(prev.key()) <= 0)) {
          found.add("out of order: " + e + " after " + prev);
        }
        prev = e;
        if (!seen.add(at)) found.add("duplicated: " + e);
        if (e.modRev() < span.startRev()) found.add("before the start revision " + span.startRev() + ": " + e);
        if (e.headerRev() < e.modRev()) found.add("header revision below the event's: " + e);
        if (!writtenSet.contains(e.value())) found.add("an event for a write nobody did: " + e);
        KeyVersion v = store.get(at);
        if (e.modRev() <= span.caughtUpRev() && e.modRev() >= span.startRev()) {
          if (v == null) {
            found.add("the store has no such version: " + e);
          } else if (!e.put() || !v.value().equals(e.value()) || v.createRev() != e.createRev()) {
            found.add("differs from the store's " + v + ": " + e);
          }
        }
        WatchedEvent first = firstOfRevision.putIfAbsent(e.modRev(), e);
        if (first != null && (first.stream() != e.stream() || first.response() != e.response())) {
          found.add("revision " + e.modRev() + " split across responses: " + first + " and " + e);
        }
      }
      for (KeyVersion v : truth) {
        if (v.modRev() >= span.startRev() && v.modRev() <= span.caughtUpRev() && !seen.contains(new At(v.key(), v.modRev()))) {
          found.add("missing: " + v);
        }
      }
      for (int i = 0; i < found.size() && i < limit; i++) problems.add("watcher " + span.watcher() + ": " + found.get(i));
      if (found.size() > limit) problems.add("watcher " + span.watcher() + ": " + (found.size() - limit) + " more");
    }
    return problems;
  }
}

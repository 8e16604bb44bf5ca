package io.vkv.consensus;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.TreeMap;

/**
 * Executes the commands of the interaction scripts against in-memory nodes and renders what
 * happens as text (the golden output). Everything is deterministic: node i's randomness is
 * seeded with i.
 */
final class InteractionEnv {
  private record Node(Config cfg, MemoryStorage storage, RawNode raw) {}

  private final TreeMap<Long, Node> nodes = new TreeMap<>();
  /** Messages sent and not yet delivered, in send order. */
  private final List<Message> pending = new ArrayList<>();
  /** Partition group per node; messages cross groups only when equal (absent = 0). */
  private final TreeMap<Long, Integer> group = new TreeMap<>();
  private StringBuilder out;

  String run(String cmd, List<String> args) {
    out = new StringBuilder();
    switch (cmd) {
      case "add-nodes" -> addNodes(args);
      case "campaign" -> raw(args.get(0)).campaign();
      case "propose" -> check(raw(args.get(0)).propose(args.get(1).getBytes()));
      case "propose-conf-change" -> check(raw(args.get(0)).proposeConfChange(new ConfChange(
          ConfChange.Type.valueOf(args.get(1).toUpperCase().replace('-', '_')),
          Long.parseLong(args.get(2)), args.size() > 3 ? args.get(3).getBytes() : null)));
      case "membership" -> ids(args).forEach(this::membership);
      case "read-index" -> check(raw(args.get(0)).readIndex(args.get(1).getBytes()));
      case "transfer-leader" -> raw(args.get(0)).transferLeadership(Long.parseLong(args.get(1)));
      case "tick-election" -> {
        for (long id : ids(args)) {
          RawNode r = nodes.get(id).raw();
          for (int i = r.ticksUntilTimeout(); i > 0; i--) {
            r.tick();
          }
        }
      }
      case "tick" -> {
        int n = Integer.parseInt(args.get(0));
        for (long id : ids(args.subList(1, args.size()))) {
          for (int i = 0; i < n; i++) {
            nodes.get(id).raw().tick();
          }
        }
      }
      case "tick-heartbeat" -> {
        for (long id : ids(args)) {
          nodes.get(id).raw().tick();
        }
      }
      case "process-ready" -> ids(args).forEach(this::processReady);
      case "deliver-msgs" -> ids(args).forEach(this::deliver);
      case "stabilize" -> stabilize(ids(args));
      case "partition" -> partition(args);
      case "heal" -> group.clear();
      case "status" -> ids(args).forEach(this::status);
      case "raft-log" -> ids(args).forEach(this::raftLog);
      case "compact" -> compact(Long.parseLong(args.get(0)), Long.parseLong(args.get(1)));
      default -> throw new IllegalArgumentException("unknown command " + cmd);
    }
    return out.toString();
  }

  private void check(boolean accepted) {
    if (!accepted) {
      out.append("dropped\n");
    }
  }

  private RawNode raw(String id) {
    return nodes.get(Long.parseLong(id)).raw();
  }

  private List<Long> ids(List<String> args) {
    List<Long> ids = new ArrayList<>();
    for (String a : args) {
      ids.add(Long.parseLong(a));
    }
    return ids.isEmpty() ? new ArrayList<>(nodes.keySet()) : ids;
  }

  /** {@code add-nodes N [prevote=B] [checkquorum=B] [join] [learner]}. */
  private void addNodes(List<String> args) {
    int n = Integer.parseInt(args.get(0));
    boolean preVote = !args.contains("prevote=false");
    boolean checkQuorum = !args.contains("checkquorum=false");
    boolean join = args.contains("join");
    long first = nodes.isEmpty() ? 1 : nodes.lastKey() + 1;
    List<Long> voters = new ArrayList<>();
    for (long id = first; id < first + n; id++) {
      voters.add(id);
    }
    for (long id = first; id < first + n; id++) {
      MemoryStorage s = join ? new MemoryStorage()
          : MemoryStorage.bootstrap(new ConfState(voters, List.of()));
      Config cfg = Config.defaults(id).withPreVote(preVote).withCheckQuorum(checkQuorum)
          .withLimits(1 << 20, 256);
      nodes.put(id, new Node(cfg, s, new RawNode(cfg, s)));
      out.append("node ").append(id).append(join ? " (joining, empty log)" : " " + s.initialState().confState())
          .append('\n');
    }
  }

  private void partition(List<String> args) {
    group.clear();
    int g = 0;
    for (String a : args) {
      if (a.equals("|")) {
        g++;
      } else {
        group.put(Long.parseLong(a), g);
      }
    }
  }

  private boolean connected(long a, long b) {
    return group.getOrDefault(a, 0).equals(group.getOrDefault(b, 0));
  }

  private boolean processReady(long id) {
    Node n = nodes.get(id);
    if (!n.raw().hasReady()) {
      return false;
    }
    Ready rd = n.raw().ready();
    out.append("> ").append(id).append(" handling Ready\n");
    if (rd.softState() != null) {
      out.append("  ").append(rd.softState()).append('\n');
    }
    if (rd.hardState() != null) {
      out.append("  HardState ").append(rd.hardState()).append('\n');
      n.storage().setHardState(rd.hardState());
    }
    if (rd.snapshot() != null) {
      out.append("  Snapshot ").append(rd.snapshot()).append('\n');
      n.storage().applySnapshot(rd.snapshot());
    }
    section("Entries", rd.entries());
    n.storage().append(rd.entries());
    section("Messages", rd.messages());
    section("MessagesAfterPersist", rd.messagesAfterPersist());
    pending.addAll(rd.messages());
    pending.addAll(rd.messagesAfterPersist());
    section("CommittedEntries", rd.committedEntries());
    for (Entry e : rd.committedEntries()) {
      if (e.type() == Entry.Type.CONF_CHANGE) {
        ConfState cs = n.raw().applyConfChange(e);
        n.storage().setConfState(cs);
        out.append("  applied conf change: ").append(cs).append('\n');
      }
    }
    section("ReadStates", rd.readStates());
    n.raw().advance(rd);
    return true;
  }

  private void section(String name, List<?> items) {
    if (items.isEmpty()) {
      return;
    }
    out.append("  ").append(name).append(":\n");
    for (Object o : items) {
      out.append("    ").append(o).append('\n');
    }
  }

  private boolean deliver(long id) {
    boolean any = false;
    Iterator<Message> it = pending.iterator();
    List<Message> batch = new ArrayList<>();
    while (it.hasNext()) {
      Message m = it.next();
      if (m.to() == id) {
        batch.add(m);
        it.remove();
      }
    }
    if (batch.isEmpty()) {
      return false;
    }
    out.append("> ").append(id).append(" receiving messages\n");
    for (Message m : batch) {
      if (!connected(m.from(), m.to()) || !nodes.containsKey(m.to())) {
        out.append("    ").append(m).append(" DROPPED\n");
        reportSnap(m, false);
        continue;
      }
      out.append("    ").append(m).append('\n');
      nodes.get(id).raw().step(m);
      reportSnap(m, true);
      any = true;
    }
    return any || !batch.isEmpty();
  }

  private void reportSnap(Message m, boolean ok) {
    if (m.type() == MessageType.SNAP && nodes.containsKey(m.from())) {
      nodes.get(m.from()).raw().reportSnapshot(m.to(), ok);
    }
  }

  private void stabilize(List<Long> ids) {
    for (int round = 0; round < 100; round++) {
      boolean any = false;
      for (long id : ids) {
        any |= processReady(id);
      }
      for (long id : ids) {
        any |= deliver(id);
      }
      if (!any) {
        return;
      }
    }
    throw new IllegalStateException("stabilize did not converge");
  }

  private void status(long id) {
    Status s = nodes.get(id).raw().status();
    out.append(id).append(": ").append(s.role()).append(" term=").append(s.term())
        .append(" lead=").append(s.leader()).append(" commit=").append(s.commit())
        .append(" applied=").append(s.applied()).append(" last=").append(s.lastIndex()).append('\n');
    s.progress().forEach((p, pr) -> out.append("  ").append(p).append(": ").append(pr).append('\n'));
  }

  private void membership(long id) {
    Status s = nodes.get(id).raw().status();
    out.append(id).append(": ").append(s.config()).append(s.isLearner() ? " (learner)" : "")
        .append(s.isVoter() ? " (voter)" : "")
        .append(!s.config().contains(id) ? " (not a member)" : "").append('\n');
  }

  private void raftLog(long id) {
    Raft r = nodes.get(id).raw().raft();
    long first = r.log.firstIndex();
    if (first > 1) {
      out.append("  (compacted up to ").append(first - 1).append(")\n");
    }
    List<Entry> ents = r.log.entries(first, Long.MAX_VALUE);
    if (ents.isEmpty()) {
      out.append("  (empty)\n");
    }
    for (Entry e : ents) {
      out.append("  ").append(e).append('\n');
    }
  }

  private void compact(long id, long index) {
    Node n = nodes.get(id);
    n.storage().createSnapshot(index, n.storage().initialState().confState(), new byte[0]);
    n.storage().compact(index);
    raftLog(id);
  }

  static List<String> split(String line) {
    return new ArrayList<>(Arrays.asList(line.trim().split("\\s+")));
  }
}

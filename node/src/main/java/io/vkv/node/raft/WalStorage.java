package io.vkv.node.raft;

import io.vkv.consensus.ConfState;
import io.vkv.consensus.Entry;
import io.vkv.consensus.HardState;
import io.vkv.consensus.Ready;
import io.vkv.consensus.SnapshotMeta;
import io.vkv.consensus.Storage;
import io.vkv.wal.Wal;
import io.vkv.wal.WalEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The consensus core's read-only {@link Storage} over the WAL, plus the write side the Raft loop uses to persist
 * each Ready. The membership lives in the WAL's snapshot record (a RaftSnapshot with voters and learners), so the
 * bootstrap snapshot written on a brand-new data dir is what every later start reads back.
 */
final class WalStorage implements Storage {
  private final Wal wal;
  /** Used when the WAL holds no membership (a log written before Raft). */
  private final ConfState initialMembers;
  private final long localId;
  /** The commit index to start from: the WAL's, or higher where the store proves more was committed. */
  private final long commit;
  /** The membership the store recorded with its applied index; null if it records none (no change applied yet). */
  private final ConfState appliedMembers;

  WalStorage(Wal wal, ConfState initialMembers, long localId) {
    this(wal, initialMembers, localId, wal.hardState().commit(), null);
  }

  /**
   * @param commit where the core starts its commit index: at least the WAL's hard state, which is synced only with
   *     entries (see {@code Ready.mustSync}), so the store may have applied past it
   */
  WalStorage(Wal wal, ConfState initialMembers, long localId, long commit, ConfState appliedMembers) {
    this.wal = wal;
    this.appliedMembers = appliedMembers;
    this.initialMembers = initialMembers;
    this.localId = localId;
    this.commit = Math.max(commit, wal.hardState().commit());
  }

  /**
   * On a brand-new WAL, records what consensus's MemoryStorage.bootstrap does: a snapshot at index 1, term 1
   * holding every initial member as a voter, and hard state term 1 / commit 1. Returns whether it did.
   */
  static boolean bootstrapIfNew(Wal wal, ConfState members, long localId) throws Exception {
    boolean fresh = wal.lastIndex() == 0 && wal.snapshot().index() == 0 && wal.hardState().term() == 0;
    if (!fresh) return false;
    wal.compact(new io.vkv.wal.SnapshotMeta(1, 1, RaftMessages.encodeMembers(members, localId))).get();
    wal.save(new io.vkv.wal.HardState(1, 0, 1), List.of()).get();
    return true;
  }

  /** The id this member was bootstrapped with, 0 for a WAL without one. */
  static long recordedLocalId(Wal wal) {
    return RaftMessages.decodeLocalId(wal.snapshot().data());
  }

  @Override
  public InitialState initialState() {
    io.vkv.wal.HardState hs = wal.hardState();
    return new InitialState(new HardState(hs.term(), hs.vote(), commit), confState());
  }

  /**
   * The membership as of the applied index the core starts from: the one the store recorded with it, else (no change
   * was ever applied) the one the WAL's snapshot record holds, else the initial members.
   */
  ConfState confState() {
    return appliedMembers != null ? appliedMembers : snapshotConfState();
  }

  private ConfState snapshotConfState() {
    byte[] data = wal.snapshot().data();
    return data.length == 0 ? initialMembers : RaftMessages.decodeConfState(data);
  }

  @Override
  public long firstIndex() {
    return wal.firstIndex();
  }

  @Override
  public long lastIndex() {
    return wal.lastIndex();
  }

  @Override
  public long term(long index) {
    if (index < wal.firstIndex() - 1) throw new CompactedException(index);
    return wal.term(index);
  }

  @Override
  public List<Entry> entries(long lo, long hiExclusive, long maxBytes) {
    if (lo < wal.firstIndex()) throw new CompactedException(lo);
    List<WalEntry> stored = wal.entries(lo, hiExclusive, maxBytes);
    List<Entry> out = new ArrayList<>(stored.size());
    for (WalEntry e : stored) out.add(new Entry(e.index(), e.term(), Entry.Type.of(e.type()), e.data()));
    return out;
  }

  @Override
  public SnapshotMeta snapshot() {
    io.vkv.wal.SnapshotMeta s = wal.snapshot();
    ConfState cs = s.index() == 0 ? ConfState.EMPTY : snapshotConfState();
    return SnapshotMeta.of(s.index(), s.term(), cs, new byte[0]);
  }

  /**
   * Step 1 of the Ready contract: snapshot, entries (the WAL overwrites a stored suffix from the first entry's
   * index) and hard state, in one ordered batch, written and forced on the calling thread (the Raft loop waits
   * for the disk anyway; handing the batch to the WAL writer thread and back cost two thread wake-ups). The
   * returned future is complete when this returns.
   */
  CompletableFuture<Void> persist(Ready rd) {
    CompletableFuture<Void> snapshot = CompletableFuture.completedFuture(null);
    if (rd.snapshot() != null) {
      SnapshotMeta s = rd.snapshot();
      snapshot = wal.compact(new io.vkv.wal.SnapshotMeta(s.index(), s.term(),
          RaftMessages.encodeMembers(s.confState(), localId)));
    }
    if (rd.hardState() == null && rd.entries().isEmpty()) return snapshot;
    if (!rd.mustSync()) return wal.saveUnsyncedNow(toWal(rd.hardState())); // the commit index alone
    List<WalEntry> records = new ArrayList<>(rd.entries().size());
    for (Entry e : rd.entries()) records.add(new WalEntry(e.index(), e.term(), e.type().code, e.data()));
    HardState hs = rd.hardState();
    CompletableFuture<Void> saved = wal.saveNow(hs == null ? null : toWal(hs), records);
    return CompletableFuture.allOf(snapshot, saved);
  }

  private static io.vkv.wal.HardState toWal(HardState hs) {
    return new io.vkv.wal.HardState(hs.term(), hs.vote(), hs.commit());
  }

  /** Drops the log up to {@code index} (already applied and checkpointed in the store), keeping the membership. */
  CompletableFuture<Void> compact(long index, ConfState members) {
    return wal.compact(new io.vkv.wal.SnapshotMeta(index, wal.term(index), RaftMessages.encodeMembers(members, localId)));
  }
}

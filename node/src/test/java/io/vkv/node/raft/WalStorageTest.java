package io.vkv.node.raft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vkv.consensus.ConfState;
import io.vkv.consensus.Entry;
import io.vkv.consensus.HardState;
import io.vkv.consensus.Ready;
import io.vkv.consensus.Storage;
import io.vkv.wal.Wal;
import io.vkv.wal.WalConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WalStorageTest {
  @TempDir Path dir;

  @Test
  void bootstrapWritesMembershipAtIndexOneAndSurvivesReopen() throws Exception {
    ConfState members = new ConfState(List.of(1L, 2L, 3L), List.of());
    try (Wal wal = Wal.open(WalConfig.defaults(dir))) {
      assertTrue(WalStorage.bootstrapIfNew(wal, members, 2));
      WalStorage s = new WalStorage(wal, ConfState.EMPTY, 2);
      assertEquals(new Storage.InitialState(new HardState(1, 0, 1), members), s.initialState());
      assertEquals(2, s.firstIndex());
      assertEquals(1, s.lastIndex());
      assertEquals(1, s.term(1));
      assertEquals(1, s.snapshot().index());
      assertEquals(members, s.snapshot().confState());

      List<Entry> entries = List.of(Entry.normal(2, 2, new byte[0]), Entry.normal(3, 2, new byte[] {7}));
      Ready rd = new Ready(new HardState(2, 2, 2), entries, null, List.of(), List.of(), List.of(), List.of(), null,
          true);
      s.persist(rd).get(10, TimeUnit.SECONDS);
      assertEquals(3, s.lastIndex());
      assertEquals(entries, s.entries(2, 4, Long.MAX_VALUE));
      assertThrows(Storage.CompactedException.class, () -> s.entries(1, 2, Long.MAX_VALUE));
    }
    try (Wal wal = Wal.open(WalConfig.defaults(dir))) {
      assertFalse(WalStorage.bootstrapIfNew(wal, ConfState.EMPTY, 9));
      assertEquals(2, WalStorage.recordedLocalId(wal));
      WalStorage s = new WalStorage(wal, ConfState.EMPTY, 2);
      assertEquals(new Storage.InitialState(new HardState(2, 2, 2), members), s.initialState());
      assertEquals(3, s.lastIndex());
    }
  }

  /**
   * A commit-only hard state is written unsynced, so after a machine crash the WAL's commit index may trail what the
   * store applied; the store's index (it applies committed entries only) then sets where the core starts.
   */
  @Test
  void commitOnlyHardStateIsUnsyncedAndTheStoreCanRaiseTheStartingCommit() throws Exception {
    ConfState members = new ConfState(List.of(1L), List.of());
    try (Wal wal = Wal.open(WalConfig.defaults(dir))) {
      WalStorage.bootstrapIfNew(wal, members, 1);
      WalStorage s = new WalStorage(wal, ConfState.EMPTY, 1);
      List<Entry> entries = List.of(Entry.normal(2, 2, new byte[0]), Entry.normal(3, 2, new byte[0]));
      s.persist(new Ready(new HardState(2, 1, 1), entries, null, List.of(), List.of(), List.of(), List.of(), null,
          true)).get(10, TimeUnit.SECONDS);
      Ready commitOnly = new Ready(new HardState(2, 1, 2), List.of(), null, List.of(), List.of(), List.of(),
          List.of(), null, false);
      s.persist(commitOnly).get(10, TimeUnit.SECONDS);
      assertEquals(2, wal.hardState().commit());
      assertEquals(new HardState(2, 1, 2), new WalStorage(wal, ConfState.EMPTY, 1).initialState().hardState());
      assertEquals(new HardState(2, 1, 3), new WalStorage(wal, ConfState.EMPTY, 1, 3, null).initialState().hardState());
      assertEquals(new HardState(2, 1, 2), new WalStorage(wal, ConfState.EMPTY, 1, 1, null).initialState().hardState(),
          "never below the WAL's own commit index");
    }
  }
}

package io.vkv.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code etcdctl snapshot save} against vkv (a store of several MiB, so the stream is many chunks), restores of that
 * file into new data dirs, and the bad inputs a restore must refuse without leaving a data dir behind.
 */
@Timeout(180)
class SnapshotSaveRestoreTest {
  @TempDir static Path dir;
  static Path saved;
  static String keys;

  @BeforeAll
  static void save() {
    VkvNode node = TestNodes.startSingle(dir.resolve("source"));
    try {
      Etcdctl ctl = new Etcdctl(node.endpoints());
      String value = "v".repeat(10_000);
      for (int t = 0; t < 5; t++) {
        StringBuilder txn = new StringBuilder("\n");
        for (int i = 0; i < 100; i++) txn.append(String.format("put bulk/%d/%03d %s%n", t, i, value));
        ctl.runWithInput(txn.append("\n\n").toString().getBytes(StandardCharsets.UTF_8), "txn").assertOk();
      }
      ctl.run("del", "bulk/0/", "--prefix").assertOk();
      keys = SnapshotDataSet.keys(ctl);
      saved = dir.resolve("saved.db");
      ctl.run("snapshot", "save", saved.toString()).assertOk();
    } finally {
      TestNodes.stop(node);
    }
  }

  @AfterAll
  static void noTempDirsLeft() throws Exception {
    try (Stream<Path> s = Files.list(dir)) {
      assertEquals(List.of(), s.filter(p -> p.getFileName().toString().contains(".restoring-")).toList());
    }
  }

  @Test
  void theSavedFileCarriesEtcdsTrailerAndStatus() throws Exception {
    long size = Files.size(saved);
    assertTrue(size > 5_000_000, "size " + size);
    assertEquals(32, size % 512, "a bbolt file of whole pages plus a 32-byte SHA-256");
    assertEquals(new Etcdctl("127.0.0.1:1").run("snapshot", "status", saved.toString()).assertOk().out(),
        SnapshotMigrationTest.vkvStatus(saved, "simple"));
  }

  @Test
  void aRestoredMemberServesTheSameKeys() {
    Path target = dir.resolve("restored");
    Result r = restore(saved, target);
    assertEquals(0, r.code, r.err);
    VkvNode node = TestNodes.startSingle(target);
    try {
      assertEquals(keys, SnapshotDataSet.keys(new Etcdctl(node.endpoints())));
    } finally {
      TestNodes.stop(node);
    }
  }

  @Test
  void aTruncatedFileIsRefused() throws Exception {
    byte[] whole = Files.readAllBytes(saved);
    Path cut = dir.resolve("cut.db");
    Files.write(cut, Arrays.copyOf(whole, whole.length - 1000));
    Result r = restore(cut, dir.resolve("from-cut"));
    assertEquals(1, r.code);
    assertEquals("Error: snapshot missing hash but --skip-hash-check=false\n", r.err);
    assertFalse(Files.exists(dir.resolve("from-cut")));

    Result skipped = restore(cut, dir.resolve("from-cut"), "--skip-hash-check");
    assertEquals(1, skipped.code);
    assertTrue(skipped.err.contains("truncated"), skipped.err);
    assertFalse(Files.exists(dir.resolve("from-cut")));

    // cut by whole pages, the size still looks like a file with a trailer: its last 32 bytes are no hash of the rest
    Path pagesCut = dir.resolve("pages-cut.db");
    Files.write(pagesCut, Arrays.copyOf(whole, whole.length - 4096));
    Result wrongHash = restore(pagesCut, dir.resolve("from-pages-cut"));
    assertEquals(1, wrongHash.code);
    assertTrue(wrongHash.err.startsWith("Error: expected sha256 "), wrongHash.err);
    assertFalse(Files.exists(dir.resolve("from-pages-cut")));
  }

  @Test
  void aBitFlipIsRefusedByVkvAndByEtcdctl() throws Exception {
    Path flipped = dir.resolve("flipped.db");
    byte[] bytes = Files.readAllBytes(saved);
    bytes[bytes.length / 2] ^= 0x10;
    Files.write(flipped, bytes);
    Result r = restore(flipped, dir.resolve("from-flipped"));
    assertEquals(1, r.code);
    assertTrue(r.err.startsWith("Error: expected sha256 "), r.err);
    assertFalse(Files.exists(dir.resolve("from-flipped")));

    Etcdctl.Result etcdctl = new Etcdctl("127.0.0.1:1").run("snapshot", "restore", flipped.toString(),
        "--data-dir", dir.resolve("etcdctl-from-flipped").toString());
    assertNotEquals(0, etcdctl.exitCode());
    assertTrue(etcdctl.err().contains("expected sha256"), etcdctl.err());
  }

  @Test
  void aNonEmptyDataDirIsRefused() throws Exception {
    Path busy = Files.createDirectories(dir.resolve("busy"));
    Files.writeString(busy.resolve("something"), "keep me");
    Result r = restore(saved, busy);
    assertEquals(1, r.code);
    assertEquals("Error: data-dir \"" + busy + "\" exists\n", r.err);
    assertEquals(List.of(busy.resolve("something")), Files.list(busy).toList());
  }

  @Test
  void aFileThatIsNoSnapshotIsRefused() throws Exception {
    Path junk = dir.resolve("junk.db");
    Files.write(junk, new byte[8192]);
    Result r = restore(junk, dir.resolve("from-junk"), "--skip-hash-check");
    assertEquals(1, r.code);
    assertTrue(r.err.contains("bbolt"), r.err);
    assertFalse(Files.exists(dir.resolve("from-junk")));
  }

  record Result(int code, String out, String err) {}

  static Result restore(Path file, Path target, String... extra) {
    List<String> args = new java.util.ArrayList<>(List.of("snapshot", "restore", file.toString(), "--data-dir", target.toString(),
        "--name", "default", "--initial-cluster", "default=http://127.0.0.1:0", "--initial-advertise-peer-urls", "http://127.0.0.1:0"));
    args.addAll(List.of(extra));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(args.toArray(String[]::new), new PrintWriter(out, true), new PrintWriter(err, true));
    return new Result(code, out.toString(), err.toString());
  }
}

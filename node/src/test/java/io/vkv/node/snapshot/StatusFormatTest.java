package io.vkv.node.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vkv.store.etcdformat.SnapshotStatus;
import org.junit.jupiter.api.Test;

/** etcdctl's snapshot status outputs, down to go-humanize's sizes (the etcdctl comparisons are in the node tests). */
class StatusFormatTest {
  @Test
  void sizesAsGoHumanizePrintsThem() {
    assertEquals("0 B", StatusFormat.humanBytes(0));
    assertEquals("512 B", StatusFormat.humanBytes(512));
    assertEquals("4.1 kB", StatusFormat.humanBytes(4096));
    assertEquals("37 kB", StatusFormat.humanBytes(36_864));
    assertEquals("12 kB", StatusFormat.humanBytes(12_500), "half to even, as Go's %.0f");
    assertEquals("14 kB", StatusFormat.humanBytes(13_500));
    assertEquals("2.1 GB", StatusFormat.humanBytes(2_147_483_648L));
  }

  @Test
  void threeFormats() {
    SnapshotStatus s = new SnapshotStatus(0x552117c8, 7, 13, 36_864);
    assertEquals("552117c8, 7, 13, 37 kB\n", StatusFormat.format(s, "simple"));
    assertEquals("{\"hash\":1428232136,\"revision\":7,\"totalKey\":13,\"totalSize\":36864}\n", StatusFormat.format(s, "json"));
    assertEquals("""
        +----------+----------+------------+------------+
        |   HASH   | REVISION | TOTAL KEYS | TOTAL SIZE |
        +----------+----------+------------+------------+
        | 552117c8 |        7 |         13 |      37 kB |
        +----------+----------+------------+------------+
        """, StatusFormat.format(s, "table"));
  }
}

package io.vkv.bench.jmh.store;

import com.google.protobuf.ByteString;
import io.vkv.api.etcdserverpb.CompactionRequest;
import io.vkv.api.etcdserverpb.Compare;
import io.vkv.api.etcdserverpb.PutRequest;
import io.vkv.api.etcdserverpb.RangeRequest;
import io.vkv.api.etcdserverpb.RangeResponse;
import io.vkv.api.etcdserverpb.RequestOp;
import io.vkv.api.etcdserverpb.TxnRequest;
import io.vkv.api.internal.InternalRequest;
import io.vkv.bench.jmh.BenchDirs;
import io.vkv.store.ApplyResult;
import io.vkv.store.LogEntry;
import io.vkv.store.MvccStore;
import io.vkv.store.StoreConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The MVCC store on its own, without WAL or network: applying batches of puts and txns (one LMDB write txn per
 * batch, as the applier does), ranges of 1 / 100 / 10,000 keys at the current revision, and a compaction.
 * Keys are 8-byte-ish decimal strings under "k/", values 256 B, in a store preloaded with 10,000 keys.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class StoreBenchmark {
  static final int PRELOADED = 10_000;
  static final int VALUE_BYTES = 256;
  static final ByteString VALUE = ByteString.copyFrom(new byte[VALUE_BYTES]);

  /** A store preloaded with PRELOADED keys; each benchmark's own state adds its parameters. */
  abstract static class Preloaded {
    Path dir;
    MvccStore store;
    long index;
    long counter;

    void open() {
      open(PRELOADED);
    }

    /** A fresh store holding keys 0 .. keys-1, loaded 10,000 to a transaction. */
    void open(int keys) {
      dir = BenchDirs.create("store-bench");
      store = MvccStore.open(new StoreConfig(dir, 8L << 30));
      for (int from = 0; from < keys; from += 10_000) {
        List<LogEntry> load = new ArrayList<>();
        for (int i = from; i < Math.min(keys, from + 10_000); i++) load.add(entry(put(key(i))));
        store.apply(load, lease -> false);
      }
    }

    void close() {
      store.close();
      BenchDirs.delete(dir);
    }

    LogEntry entry(InternalRequest request) {
      return new LogEntry(++index, request.toBuilder().setId(index).build());
    }

    /** The next existing key, round-robin, so the key space stays at PRELOADED keys. */
    ByteString nextKey() {
      return key(counter++ % PRELOADED);
    }
  }

  @State(Scope.Thread)
  public static class Writes extends Preloaded {
    /** Puts (or txns) per applied batch: the applier writes one LMDB txn per batch. */
    @Param({"1", "100"})
    int batch;

    @Setup(Level.Trial)
    public void setUp() {
      open();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      close();
    }
  }

  /**
   * Puts of keys drawn at random from 100,000, as vkv-bench's put rows write them: each put dirties a random leaf of
   * {@code current} and of {@code keyrevs}, and each transaction the branch pages above them. The cost per put as the
   * batch grows shows what larger store transactions would save (at 256 clients one Ready commits 16–33 puts).
   */
  @State(Scope.Thread)
  public static class RandomWrites extends Preloaded {
    static final int KEYS = 100_000;
    @Param({"16", "32", "128", "512"})
    int batch;
    private final SplittableRandom random = new SplittableRandom(42);

    @Setup(Level.Trial)
    public void setUp() {
      open(KEYS);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      close();
    }

    ByteString randomKey() {
      return key(random.nextInt(KEYS));
    }
  }

  @State(Scope.Thread)
  public static class Reads extends Preloaded {
    @Param({"1", "100", "10000"})
    int rangeKeys;
    RangeRequest range;

    @Setup(Level.Trial)
    public void setUp() {
      open();
      range = RangeRequest.newBuilder().setKey(key(0))
          .setRangeEnd(rangeKeys == 1 ? ByteString.EMPTY : key(rangeKeys)).build();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      close();
    }
  }

  @State(Scope.Thread)
  public static class Compacting extends Preloaded {
    @Setup(Level.Trial)
    public void setUp() {
      open();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      close();
    }
  }

  /** Zero-padded so that key order is numeric order and [k/0, k/N) holds exactly N keys. */
  static ByteString key(long i) {
    return ByteString.copyFromUtf8(String.format("k/%08d", i));
  }

  static InternalRequest put(ByteString key) {
    return InternalRequest.newBuilder().setPut(PutRequest.newBuilder().setKey(key).setValue(VALUE)).build();
  }

  @Benchmark
  public List<ApplyResult> putBatch(Writes s) {
    List<LogEntry> entries = new ArrayList<>(s.batch);
    for (int i = 0; i < s.batch; i++) entries.add(s.entry(put(s.nextKey())));
    return s.store.apply(entries, lease -> false);
  }

  /** One batch of random puts in one store transaction (µs per batch; divide by the batch for µs per put). */
  @Benchmark
  public List<ApplyResult> randomPutBatch(RandomWrites s) {
    List<LogEntry> entries = new ArrayList<>(s.batch);
    for (int i = 0; i < s.batch; i++) entries.add(s.entry(put(s.randomKey())));
    return s.store.apply(entries, lease -> false);
  }

  /** A compare-and-swap txn per entry: mod revision > 0, then put. */
  @Benchmark
  public List<ApplyResult> txnBatch(Writes s) {
    List<LogEntry> entries = new ArrayList<>(s.batch);
    for (int i = 0; i < s.batch; i++) {
      ByteString k = s.nextKey();
      TxnRequest txn = TxnRequest.newBuilder()
          .addCompare(Compare.newBuilder().setKey(k).setTarget(Compare.CompareTarget.MOD)
              .setResult(Compare.CompareResult.GREATER).setModRevision(0))
          .addSuccess(RequestOp.newBuilder().setRequestPut(PutRequest.newBuilder().setKey(k).setValue(VALUE)))
          .build();
      entries.add(s.entry(InternalRequest.newBuilder().setTxn(txn).build()));
    }
    return s.store.apply(entries, lease -> false);
  }

  @Benchmark
  public RangeResponse range(Reads s) {
    return s.store.range(s.range);
  }

  /** Writes 1,000 more versions, then compacts everything below the current revision. */
  @Benchmark
  public List<ApplyResult> writeThenCompact(Compacting s) {
    List<LogEntry> entries = new ArrayList<>(1000);
    for (int i = 0; i < 1000; i++) entries.add(s.entry(put(s.nextKey())));
    s.store.apply(entries, lease -> false);
    long rev = s.store.currentRevision();
    return s.store.apply(List.of(s.entry(InternalRequest.newBuilder()
        .setCompaction(CompactionRequest.newBuilder().setRevision(rev)).build())), lease -> false);
  }
}

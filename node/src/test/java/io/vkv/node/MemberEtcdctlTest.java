package io.vkv.node;

import static io.vkv.node.testing.Ports.freePort;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vkv.node.testing.Wait;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Acceptance for runtime membership through the real etcdctl 3.4 ({@code member add|remove|update|promote|list}),
 * run against real etcd 3.4.23 — the reference these expectations were recorded from
 * (docs/etcdctl-member-reference.md) — and against vkv. Each test starts a fresh one-member cluster (member "ref");
 * where a second member must really run, it is started as its own process with {@code --initial-cluster-state
 * existing} and the --initial-cluster that {@code member add} printed.
 *
 * <p>Member and cluster ids and ports differ per run: the tests learn the ids from etcdctl's own output (the add
 * text, {@code member list -w json}) and build the expected texts from them, so everything else — layout, padding,
 * order (members sorted by id), error lines, exit codes — is compared exactly. The raft term in JSON and fields
 * output is the one thing replaced by a placeholder before comparing.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(MemberEtcdctlTest.Kind.class)
@Timeout(90)
class MemberEtcdctlTest {
  private static final String MEMBER_NOT_FOUND = "Error: etcdserver: member not found";
  private static final String PEER_URLS_EXIST = "Error: etcdserver: Peer URLs already exists";
  private static final String NOT_A_LEARNER = "Error: etcdserver: can only promote a learner member";
  private static final String LEARNER_NOT_READY =
      "Error: etcdserver: can only promote a learner member which is in sync with leader";
  private static final String TOO_MANY_LEARNERS = "Error: etcdserver: too many learner members in cluster";
  private static final String NOT_ENOUGH_STARTED =
      "Error: etcdserver: re-configuration failed due to not enough started members";
  private static final String UNHEALTHY = "Error: etcdserver: unhealthy cluster";
  private static final String NOT_FOR_LEARNER = "Error: etcdserver: rpc not supported for learner";
  private static final Duration JOIN_LIMIT = Duration.ofSeconds(30);

  @Parameter Kind kind;
  @TempDir Path dir;

  private RunningMember first;
  private final List<RunningMember> joined = new ArrayList<>();
  private Etcdctl etcdctl;
  /** The first member, as member list shows it. */
  private Member ref;
  private long clusterId;

  @BeforeEach
  void startFirstMember() {
    int client = freePort();
    int peer = freePort();
    String peerUrl = "http://127.0.0.1:" + peer;
    first = kind.startFirst(new MemberSpec("ref", dir.resolve("ref"), dir.resolve("ref.log"), client, peer,
        "ref=" + peerUrl, "new"));
    etcdctl = new Etcdctl("127.0.0.1:" + client);
    // a linearizable read needs a leader: the cluster is ready for reconfiguration once it succeeds
    Wait.until(Duration.ofSeconds(30), "the first member to have a leader; log " + dir.resolve("ref.log"),
        () -> ctl("get", "ready-probe").exitCode() == 0);
    Result list = ctl("member", "list", "-w", "json");
    Matcher m = Pattern.compile("\\{\"header\":\\{\"cluster_id\":(\\d+),\"member_id\":(\\d+),").matcher(list.out());
    assertTrue(m.lookingAt(), list.toString());
    clusterId = Long.parseUnsignedLong(m.group(1));
    ref = new Member(Long.parseUnsignedLong(m.group(2)), "ref", List.of(peerUrl), List.of("http://127.0.0.1:" + client),
        false);
  }

  @AfterEach
  void stopMembers() {
    for (RunningMember j : joined) j.close();
    if (first != null) first.close();
  }

  // 1. member list on a one-member cluster, in every output format

  @Test
  void listsTheOneMemberInEveryFormat() {
    assertOk(ctl("member", "list"), simple(List.of(ref)));
    assertOk(ctl("member", "list", "-w", "simple"), simple(List.of(ref)));
    assertOk(ctl("member", "list", "-w", "table"), table(List.of(ref)));
    assertOk(ctl("member", "list", "-w", "json"), membersJson(List.of(ref)));
    assertOk(ctl("member", "list", "-w", "fields"), fields(List.of(ref)));
  }

  // 2. adding a voter that never starts; 7. the strict reconfiguration checks it then trips

  @Test
  void addingAVoterPrintsItsEnvironmentAndListsItUnstarted() {
    String peerUrl = "http://127.0.0.1:" + freePort();
    Member m2 = added(ctl("member", "add", "m2", "--peer-urls=" + peerUrl), "m2", peerUrl, false);
    List<Member> both = sorted(ref, m2);
    assertOk(ctl("member", "list"), simple(both));
    assertOk(ctl("member", "list", "-w", "table"), table(both));
    assertOk(ctl("member", "list", "-w", "json"), membersJson(both));
    assertOk(ctl("member", "list", "-w", "fields"), fields(both));

    // two voters, one started: etcd 3.4's default --strict-reconfig-check refuses what would need the missing one.
    // Another voter: fewer started members than a quorum of three
    String otherUrl = "http://127.0.0.1:" + freePort();
    assertFails(ctl("member", "add", "m3", "--peer-urls=" + otherUrl), 1, NOT_ENOUGH_STARTED);
    // a learner: this member is not connected to every voter (m2 never was)
    assertFails(ctl("member", "add", "m3", "--learner", "--peer-urls=" + otherUrl), 1, UNHEALTHY);
    // removing the one started voter would leave none started
    assertFails(ctl("member", "remove", hex(ref.id)), 1, NOT_ENOUGH_STARTED);
    assertOk(ctl("member", "list"), simple(both));
  }

  @Test
  void addingAVoterAsJson() {
    String peerUrl = "http://127.0.0.1:" + freePort();
    Result r = ctl("member", "add", "m2", "--peer-urls=" + peerUrl, "-w", "json");
    Member m2 = new Member(learnAddedIdFromJson(r), "", List.of(peerUrl), List.of(), false);
    assertOk(r, addJson(m2, sorted(ref, m2)));
    assertOk(ctl("member", "list", "-w", "json"), membersJson(sorted(ref, m2)));
  }

  // 3. a learner joins, is promoted once in sync, and is removed again

  @Test
  void learnerJoinsIsPromotedAndRemoved() {
    int client = freePort();
    int peer = freePort();
    String peerUrl = "http://127.0.0.1:" + peer;
    Result add = ctl("member", "add", "m2", "--learner", "--peer-urls=" + peerUrl);
    Member unstarted = added(add, "m2", peerUrl, true);
    assertOk(ctl("member", "list"), simple(sorted(ref, unstarted)));

    RunningMember m2process = join(new MemberSpec("m2", dir.resolve("m2"), dir.resolve("m2.log"), client, peer,
        printedInitialCluster(add), "existing"));
    Member learner = new Member(unstarted.id, "m2", List.of(peerUrl), List.of("http://127.0.0.1:" + client), true);
    awaitStarted(learner, m2process);
    List<Member> withLearner = sorted(ref, learner);
    assertOk(ctl("member", "list"), simple(withLearner));
    assertOk(ctl("member", "list", "-w", "table"), table(withLearner));
    assertOk(ctl("member", "list", "-w", "json"), membersJson(withLearner));

    // a learner serves serializable reads and Status; writes and linearizable reads are refused
    assertOk(ctl("put", "seen-by-learner", "v"), "OK\n");
    Etcdctl onLearner = new Etcdctl("127.0.0.1:" + client);
    Wait.until(JOIN_LIMIT, "the learner to have the write", () -> learnerRun(onLearner, "get", "seen-by-learner",
        "--consistency=s").equals(new Result(0, "seen-by-learner\nv\n", List.of())));
    assertFails(learnerRun(onLearner, "put", "on-learner", "x"), 1, NOT_FOR_LEARNER);
    assertFails(learnerRun(onLearner, "get", "seen-by-learner"), 1, NOT_FOR_LEARNER);

    // until the learner has caught up with the leader's log the promotion is refused with LEARNER_NOT_READY
    Result promoted = awaitNotRefused(List.of(LEARNER_NOT_READY), "member", "promote", hex(learner.id));
    assertOk(promoted, "Member " + hex16(learner.id) + " promoted in cluster " + hex16(clusterId) + "\n");
    Member voter = new Member(learner.id, "m2", learner.peers, learner.clients, false);
    List<Member> twoVoters = sorted(ref, voter);
    assertOk(ctl("member", "list"), simple(twoVoters));
    assertOk(ctl("member", "list", "-w", "table"), table(twoVoters));

    assertFails(ctl("member", "promote", hex(voter.id)), 1, NOT_A_LEARNER);
    assertFails(ctl("member", "promote", hex(ref.id)), 1, NOT_A_LEARNER);

    // a started voter is removed only once this member has been connected to it for a while (etcd: 5 s), before
    // that the strict reconfiguration check answers UNHEALTHY
    Result removed = awaitNotRefused(List.of(UNHEALTHY), "member", "remove", hex(voter.id));
    assertOk(removed, "Member " + hex16(voter.id) + " removed from cluster " + hex16(clusterId) + "\n");
    assertOk(ctl("member", "list"), simple(List.of(ref)));
    // the removed member learns it was removed and stops by itself
    Wait.until(JOIN_LIMIT, "the removed member to stop; log " + dir.resolve("m2.log"), () -> !m2process.isAlive());
    assertOk(ctl("put", "after-removal", "x"), "OK\n");
  }

  // 4. member update

  @Test
  void updateReplacesPeerUrls() {
    String learnerUrl = "http://127.0.0.1:" + freePort();
    Member m2 = added(ctl("member", "add", "m2", "--learner", "--peer-urls=" + learnerUrl), "m2", learnerUrl, true);

    String newUrl = "http://127.0.0.1:" + freePort();
    assertOk(ctl("member", "update", hex(ref.id), "--peer-urls=" + newUrl),
        "Member " + hex16(ref.id) + " updated in cluster " + hex16(clusterId) + "\n");
    Member updated = new Member(ref.id, ref.name, List.of(newUrl), ref.clients, false);
    assertOk(ctl("member", "list"), simple(sorted(updated, m2)));

    // another member's peer URL
    assertFails(ctl("member", "update", hex(ref.id), "--peer-urls=" + learnerUrl), 1, PEER_URLS_EXIST);
    String unknown = unknownId(m2);
    assertFails(ctl("member", "update", unknown, "--peer-urls=http://127.0.0.1:" + freePort()), 1, MEMBER_NOT_FOUND);

    // back to the URL it listens on, printed as JSON: the members after the change
    assertOk(ctl("member", "update", hex(ref.id), "--peer-urls=" + ref.peers.get(0), "-w", "json"),
        membersJson(sorted(ref, m2)));
    assertOk(ctl("member", "list"), simple(sorted(ref, m2)));
    assertOk(ctl("put", "after-update", "x"), "OK\n");
  }

  // 5. member remove, and adds refused for a peer URL in use

  @Test
  void removeAndItsErrors() {
    String learnerUrl = "http://127.0.0.1:" + freePort();
    Member m2 = added(ctl("member", "add", "m2", "--learner", "--peer-urls=" + learnerUrl), "m2", learnerUrl, true);
    long addedBy = Instant.now().getEpochSecond();

    assertFails(ctl("member", "add", "m3", "--peer-urls=" + ref.peers.get(0)), 1, PEER_URLS_EXIST);
    assertFails(ctl("member", "remove", unknownId(m2)), 1, MEMBER_NOT_FOUND);
    assertOk(ctl("member", "list"), simple(sorted(ref, m2)));
    // etcd derives an added member's id from its peer URLs and the second it was added: within the second of m2's
    // add, the same URLs would get m2's id and fail as "member ID already exist" (or, once m2 is removed, "member
    // not found"). Past that second the URL itself is what is refused.
    awaitNextSecond(addedBy);
    assertFails(ctl("member", "add", "m3", "--peer-urls=" + learnerUrl), 1, PEER_URLS_EXIST);

    assertOk(ctl("member", "remove", hex(m2.id)),
        "Member " + hex16(m2.id) + " removed from cluster " + hex16(clusterId) + "\n");
    assertOk(ctl("member", "list"), simple(List.of(ref)));
    // the same id again: it is gone
    assertFails(ctl("member", "remove", hex(m2.id)), 1, MEMBER_NOT_FOUND);
    // the last voter cannot remove itself
    assertFails(ctl("member", "remove", hex(ref.id)), 1, NOT_ENOUGH_STARTED);
    assertOk(ctl("member", "list"), simple(List.of(ref)));

    // its peer URL is free again
    Member again = added(ctl("member", "add", "m2again", "--learner", "--peer-urls=" + learnerUrl), "m2again",
        learnerUrl, true);
    assertNotEquals(m2.id, again.id, "a re-added member gets a new id");
    assertOk(ctl("member", "list"), simple(sorted(ref, again)));
  }

  /** Polls the clock until the given epoch second is over. */
  private static void awaitNextSecond(long epochSecond) {
    Wait.until(Duration.ofSeconds(3), "the clock to pass second " + epochSecond,
        () -> Instant.now().getEpochSecond() > epochSecond);
  }

  // 6. a learner that never started; promote errors; one learner at most

  @Test
  void learnerThatNeverStartedIsNotPromoted() {
    String peerUrl = "http://127.0.0.1:" + freePort();
    Result r = ctl("member", "add", "m2", "--learner", "--peer-urls=" + peerUrl, "-w", "json");
    Member m2 = new Member(learnAddedIdFromJson(r), "", List.of(peerUrl), List.of(), true);
    List<Member> both = sorted(ref, m2);
    assertOk(r, addJson(m2, both));
    assertOk(ctl("member", "list"), simple(both));
    assertOk(ctl("member", "list", "-w", "table"), table(both));
    assertOk(ctl("member", "list", "-w", "fields"), fields(both));

    assertFails(ctl("member", "promote", hex(m2.id)), 1, LEARNER_NOT_READY);
    assertFails(ctl("member", "promote", hex(ref.id)), 1, NOT_A_LEARNER);
    assertFails(ctl("member", "promote", unknownId(m2)), 1, MEMBER_NOT_FOUND);
    assertFails(ctl("member", "add", "m3", "--learner", "--peer-urls=http://127.0.0.1:" + freePort()), 1,
        TOO_MANY_LEARNERS);
    assertOk(ctl("member", "list"), simple(both));
    // a learner does not count towards the quorum: the cluster still takes writes
    assertOk(ctl("put", "with-learner", "x"), "OK\n");

    // a voter may still be added (one started voter of one); the unstarted learner appears nameless in the printed
    // ETCD_INITIAL_CLUSTER ("=<its peer URL>")
    String m3Url = "http://127.0.0.1:" + freePort();
    Member m3 = added(ctl("member", "add", "m3", "--peer-urls=" + m3Url), "m3", m3Url, false, both);
    assertOk(ctl("member", "list"), simple(sorted(ref, m2, m3)));
  }

  // ---- which server: the first member and a joining member of each kind

  /** What a member is started with: etcd's flags, the same for etcd and vkv. */
  record MemberSpec(String name, Path dataDir, Path log, int clientPort, int peerPort, String initialCluster,
                    String state) {
    String clientUrl() {
      return "http://127.0.0.1:" + clientPort;
    }

    String peerUrl() {
      return "http://127.0.0.1:" + peerPort;
    }

    /** etcd's member flags, as `vkv` (NodeCommand) takes them too. */
    List<String> flags() {
      return List.of("--name=" + name, "--data-dir=" + dataDir, "--listen-client-urls=" + clientUrl(),
          "--advertise-client-urls=" + clientUrl(), "--listen-peer-urls=" + peerUrl(),
          "--initial-advertise-peer-urls=" + peerUrl(), "--initial-cluster=" + initialCluster,
          "--initial-cluster-state=" + state);
    }
  }

  /** A started member; closing stops it (and may be called after it stopped by itself). */
  interface RunningMember extends AutoCloseable {
    boolean isAlive();

    @Override
    void close();
  }

  enum Kind {
    ETCD {
      @Override
      RunningMember startFirst(MemberSpec spec) {
        return launch(List.of("/usr/bin/etcd"), spec);
      }

      @Override
      RunningMember startJoining(MemberSpec spec) {
        return launch(List.of("/usr/bin/etcd"), spec);
      }
    },
    VKV {
      /** In this JVM (quicker to start than a process), configured as the flags would configure it. */
      @Override
      RunningMember startFirst(MemberSpec spec) {
        URI client = URI.create(spec.clientUrl());
        URI peer = URI.create(spec.peerUrl());
        NodeConfig config = NodeConfig.builder().name(spec.name()).dataDir(spec.dataDir())
            .listenClientUrls(List.of(client)).advertiseClientUrls(List.of(client)).listenPeerUrls(List.of(peer))
            .initialAdvertisePeerUrls(List.of(peer))
            .initialCluster(NodeCommand.parseCluster(spec.initialCluster())).initialClusterState(spec.state())
            .initialClusterToken("etcd-cluster").heartbeatIntervalMs(100).electionTimeoutMs(1000).logLevel("info")
            .serverInstances(1).build();
        VkvNode node = TestNodes.start(config);
        RunningMember member = new RunningMember() {
          private volatile boolean closed;

          @Override
          public boolean isAlive() {
            return !closed;
          }

          @Override
          public synchronized void close() {
            if (closed) return;
            closed = true;
            TestNodes.stop(node);
          }
        };
        node.onRemoved(member::close); // as the vkv process does: a removed member stops
        return member;
      }

      /**
       * A joining vkv member: {@code io.vkv.node.Main} in its own JVM with etcd's flags (--initial-cluster-state
       * existing and the --initial-cluster that member add printed). Adjust here if vkv needs more to join.
       */
      @Override
      RunningMember startJoining(MemberSpec spec) {
        List<String> java = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        // the JVM flags the build gives test JVMs (Chronicle Queue's --add-opens), as NodeProcess passes them
        for (String f : System.getProperty("vkv.jvm.flags", "").trim().split("\\s+")) if (!f.isBlank()) java.add(f);
        java.addAll(List.of("-Xmx256m", "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        return launch(java, spec);
      }
    };

    /** The cluster's first member, alone in --initial-cluster, --initial-cluster-state new. */
    abstract RunningMember startFirst(MemberSpec spec);

    /** A member joining the running cluster after member add. Returns once started; the caller waits for it to join. */
    abstract RunningMember startJoining(MemberSpec spec);
  }

  /** Starts command + the spec's flags as a child process, output to the spec's log. */
  private static RunningMember launch(List<String> command, MemberSpec spec) {
    List<String> cmd = new ArrayList<>(command);
    cmd.addAll(spec.flags());
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(spec.log().toFile())).start();
      return new RunningMember() {
        @Override
        public boolean isAlive() {
          return p.isAlive();
        }

        @Override
        public void close() {
          p.destroy();
          try {
            if (!p.waitFor(15, TimeUnit.SECONDS)) p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
          }
        }
      };
    } catch (IOException e) {
      throw new AssertionError("could not start " + cmd, e);
    }
  }

  private RunningMember join(MemberSpec spec) {
    RunningMember m = kind.startJoining(spec);
    joined.add(m);
    return m;
  }

  /** Waits until member list shows the member started (its name and client URLs published). */
  private void awaitStarted(Member expected, RunningMember process) {
    Wait.until(JOIN_LIMIT, () -> "member " + expected.name + " to start; log " + dir.resolve(expected.name + ".log"),
        () -> {
          if (!process.isAlive()) {
            throw new AssertionError("member " + expected.name + " exited; log:\n" + readLog(expected.name));
          }
          Result r = ctl("member", "list");
          return r.exitCode() == 0 && r.out().lines().anyMatch(l -> l.startsWith(hex(expected.id) + ", started, "));
        });
  }

  private String readLog(String name) {
    try {
      return Files.readString(dir.resolve(name + ".log"));
    } catch (IOException e) {
      return "(unreadable: " + e + ")";
    }
  }

  /**
   * Runs the command until it fails with something other than the given "not yet" error lines (or succeeds);
   * returns that result.
   */
  private Result awaitNotRefused(List<String> notYet, String... args) {
    return Wait.until(JOIN_LIMIT, "etcdctl " + String.join(" ", args) + " to be accepted", () -> ctl(args),
        r -> !(r.exitCode() == 1 && r.out().isEmpty() && notYet.containsAll(r.errorLines())
            && !r.errorLines().isEmpty()));
  }

  // ---- running etcdctl

  /** What etcdctl printed: stdout, stderr without its JSON log lines, exit code. */
  record Result(int exitCode, String out, List<String> errorLines) {}

  private Result ctl(String... args) {
    return learnerRun(etcdctl, args);
  }

  /** etcdctl against another endpoint (a learner). */
  private static Result learnerRun(Etcdctl etcdctl, String... args) {
    Etcdctl.Result r = etcdctl.run(args);
    return new Result(r.exitCode(), r.out(), r.err().lines().filter(l -> !l.startsWith("{\"level\":")).toList());
  }

  /** The raft term is the one variable part left in JSON and fields output. */
  private static String normalised(String out) {
    return out.replaceAll("\"raft_term\":\\d+", "\"raft_term\":<TERM>")
        .replaceAll("\"RaftTerm\" : \\d+", "\"RaftTerm\" : <TERM>");
  }

  private static void assertOk(Result r, String expectedOut) {
    assertEquals(new Result(0, expectedOut, List.of()), new Result(r.exitCode(), normalised(r.out()), r.errorLines()));
  }

  private static void assertFails(Result r, int exitCode, String... errorLines) {
    assertEquals(new Result(exitCode, "", List.of(errorLines)), r);
  }

  // ---- the texts etcdctl 3.4 prints, built from the members

  record Member(long id, String name, List<String> peers, List<String> clients, boolean learner) {}

  private static String hex(long id) {
    return Long.toHexString(id);
  }

  /**
   * Ids in member add, remove, update and promote messages: etcdctl prints them with "%16x", padded with spaces to
   * 16 characters (an id below 2^60 has fewer hex digits). member list prints "%x".
   */
  private static String hex16(long id) {
    return String.format("%16s", hex(id));
  }

  private static String dec(long id) {
    return Long.toUnsignedString(id);
  }

  /** etcd lists members sorted by id (unsigned). */
  private static List<Member> sorted(Member... members) {
    List<Member> l = new ArrayList<>(List.of(members));
    l.sort(Comparator.comparing(Member::id, Long::compareUnsigned));
    return l;
  }

  /** An id no member has. */
  private String unknownId(Member other) {
    long id = 0x1234;
    assertTrue(id != ref.id && id != other.id);
    return hex(id);
  }

  /**
   * Checks {@code member add}'s text output exactly and returns the added (unstarted) member. The id is learned from
   * the output; the cluster id must be this cluster's.
   */
  private Member added(Result r, String name, String peerUrl, boolean learner) {
    return added(r, name, peerUrl, learner, List.of(ref));
  }

  /** As above, with the members the cluster had before the add. */
  private Member added(Result r, String name, String peerUrl, boolean learner, List<Member> before) {
    Matcher m = Pattern.compile("Member +([0-9a-f]+) added to cluster +([0-9a-f]+)\n").matcher(r.out());
    assertTrue(r.exitCode() == 0 && m.lookingAt(), r.toString());
    Member added = new Member(Long.parseUnsignedLong(m.group(1), 16), "", List.of(peerUrl), List.of(), learner);
    List<Member> after = new ArrayList<>(before);
    after.add(added);
    after.sort(Comparator.comparing(Member::id, Long::compareUnsigned));
    String initialCluster = after.stream()
        .map(x -> (x.id == added.id ? name : x.name) + "=" + x.peers.get(0)).collect(Collectors.joining(","));
    assertOk(r, "Member " + hex16(added.id) + " added to cluster " + hex16(clusterId) + "\n"
        + "\n"
        + "ETCD_NAME=\"" + name + "\"\n"
        + "ETCD_INITIAL_CLUSTER=\"" + initialCluster + "\"\n"
        + "ETCD_INITIAL_ADVERTISE_PEER_URLS=\"" + peerUrl + "\"\n"
        + "ETCD_INITIAL_CLUSTER_STATE=\"existing\"\n");
    return added;
  }

  /** The ETCD_INITIAL_CLUSTER value member add printed. */
  private static String printedInitialCluster(Result add) {
    Matcher m = Pattern.compile("^ETCD_INITIAL_CLUSTER=\"([^\"]*)\"$", Pattern.MULTILINE).matcher(add.out());
    assertTrue(m.find(), add.toString());
    return m.group(1);
  }

  private static long learnAddedIdFromJson(Result r) {
    Matcher m = Pattern.compile("\"member\":\\{\"ID\":(\\d+),").matcher(r.out());
    assertTrue(r.exitCode() == 0 && m.find(), r.toString());
    return Long.parseUnsignedLong(m.group(1));
  }

  /** -w simple: "%x, %s, %s, %s, %s, %v" per member; status "unstarted" while the member has no name. */
  private static String simple(List<Member> members) {
    StringBuilder b = new StringBuilder();
    for (Member m : members) {
      b.append(hex(m.id)).append(", ").append(status(m)).append(", ").append(m.name).append(", ")
          .append(String.join(",", m.peers)).append(", ").append(String.join(",", m.clients)).append(", ")
          .append(m.learner).append('\n');
    }
    return b.toString();
  }

  private static String status(Member m) {
    return m.name.isEmpty() ? "unstarted" : "started";
  }

  /** -w table: etcdctl's tablewriter layout, headers centred, cells right-aligned, widths from the contents. */
  private static String table(List<Member> members) {
    List<String> header = List.of("ID", "STATUS", "NAME", "PEER ADDRS", "CLIENT ADDRS", "IS LEARNER");
    List<List<String>> rows = members.stream().map(m -> List.of(hex(m.id), status(m), m.name,
        String.join(",", m.peers), String.join(",", m.clients), Boolean.toString(m.learner))).toList();
    int[] width = new int[header.size()];
    for (int i = 0; i < width.length; i++) {
      width[i] = header.get(i).length();
      for (List<String> row : rows) width[i] = Math.max(width[i], row.get(i).length());
    }
    StringBuilder rule = new StringBuilder("+");
    for (int w : width) rule.append("-".repeat(w + 2)).append('+');
    rule.append('\n');
    StringBuilder b = new StringBuilder(rule).append('|');
    for (int i = 0; i < width.length; i++) {
      int gap = width[i] - header.get(i).length();
      b.append(' ').append(" ".repeat(gap / 2)).append(header.get(i)).append(" ".repeat(gap - gap / 2)).append(" |");
    }
    b.append('\n').append(rule);
    for (List<String> row : rows) {
      b.append('|');
      for (int i = 0; i < width.length; i++) {
        b.append(' ').append(" ".repeat(width[i] - row.get(i).length())).append(row.get(i)).append(" |");
      }
      b.append('\n');
    }
    return b.append(rule).toString();
  }

  /** The response header as JSON: revision 0 is left out, the term is the placeholder. */
  private String headerJson() {
    return "{\"cluster_id\":" + dec(clusterId) + ",\"member_id\":" + dec(ref.id) + ",\"raft_term\":<TERM>}";
  }

  /** One member as etcdctl's JSON printer writes it: empty fields and isLearner false are left out. */
  private static String memberJson(Member m) {
    StringBuilder b = new StringBuilder("{\"ID\":").append(dec(m.id));
    if (!m.name.isEmpty()) b.append(",\"name\":\"").append(m.name).append('"');
    if (!m.peers.isEmpty()) b.append(",\"peerURLs\":").append(jsonStrings(m.peers));
    if (!m.clients.isEmpty()) b.append(",\"clientURLs\":").append(jsonStrings(m.clients));
    if (m.learner) b.append(",\"isLearner\":true");
    return b.append('}').toString();
  }

  private static String jsonStrings(List<String> s) {
    return s.stream().map(x -> "\"" + x + "\"").collect(Collectors.joining(",", "[", "]"));
  }

  private static String membersArray(List<Member> members) {
    return members.stream().map(MemberEtcdctlTest::memberJson).collect(Collectors.joining(",", "[", "]"));
  }

  /** member list, update, remove and promote print the header and the members after the change. */
  private String membersJson(List<Member> members) {
    return "{\"header\":" + headerJson() + ",\"members\":" + membersArray(members) + "}\n";
  }

  private String addJson(Member added, List<Member> members) {
    return "{\"header\":" + headerJson() + ",\"member\":" + memberJson(added) + ",\"members\":" + membersArray(members)
        + "}\n";
  }

  /** -w fields: the header, then each member's fields and a blank line. */
  private String fields(List<Member> members) {
    StringBuilder b = new StringBuilder()
        .append("\"ClusterID\" : ").append(dec(clusterId)).append('\n')
        .append("\"MemberID\" : ").append(dec(ref.id)).append('\n')
        .append("\"Revision\" : 0\n")
        .append("\"RaftTerm\" : <TERM>\n");
    for (Member m : members) {
      b.append("\"ID\" : ").append(dec(m.id)).append('\n');
      b.append("\"Name\" : \"").append(m.name).append("\"\n");
      for (String p : m.peers) b.append("\"PeerURL\" : \"").append(p).append("\"\n");
      for (String c : m.clients) b.append("\"ClientURL\" : \"").append(c).append("\"\n");
      b.append("\"IsLearner\" : ").append(m.learner).append("\n\n");
    }
    return b.toString();
  }
}

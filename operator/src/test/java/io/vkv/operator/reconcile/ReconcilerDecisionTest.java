package io.vkv.operator.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The decision function against made-up observed states: each rule, and every step interrupted half-way. */
class ReconcilerDecisionTest {

  // ---- create ----

  @Test
  void anEmptyPlatformBootstrapsOneMember() {
    FakeWorld w = new FakeWorld(FakeWorld.spec(3));
    Action.Bootstrap b = assertInstanceOf(Action.Bootstrap.class, w.decide());
    assertEquals("demo-1", b.name());
    assertNull(b.restoreFrom());
  }

  @Test
  void createGrowsOneLearnerAtATimeAndPromotesEach() {
    FakeWorld w = new FakeWorld(FakeWorld.spec(3));
    List<String> steps = w.converge().stream().map(Action::describe).map(s -> s.replaceAll(" \\(.*", "")).toList();
    assertEquals(List.of("bootstrap demo-1",
        "prepare demo-2", "add learner demo-2", "start demo-2", "promote demo-2",
        "prepare demo-3", "add learner demo-3", "start demo-3", "promote demo-3"), steps);
    assertEquals(3, w.voters());
    assertEquals("Running", w.status.phase());
  }

  @Test
  void aJoiningMemberIsStartedWithEveryStartedMemberAndExistingState() {
    FakeWorld w = new FakeWorld(FakeWorld.spec(3));
    FakeWorld.Node one = w.voter("demo-1");
    FakeWorld.Node two = w.prepared("demo-2");
    two.id = 0x999L;
    two.learner = true;
    Action.Start s = assertInstanceOf(Action.Start.class, w.decide());
    assertEquals("demo-2", s.name());
    assertEquals("existing", s.launch().clusterState());
    assertEquals("demo-1=" + one.peerUrl + ",demo-2=" + two.peerUrl, s.launch().initialCluster());
    assertEquals("demo", s.launch().token());
  }

  @Test
  void memberFlagsComeFromTheSpec() {
    FakeWorld w = new FakeWorld(FakeWorld.spec(2, "  member: {heartbeatInterval: 20, electionTimeout: 200, quotaBackendBytes: 1048576}\n"));
    w.voter("demo-1");
    w.prepared("demo-2").id = 0x999L;
    w.node("demo-2").learner = true;
    Action.Start s = assertInstanceOf(Action.Start.class, w.decide());
    assertEquals(List.of("--heartbeat-interval=20", "--election-timeout=200", "--quota-backend-bytes=1048576"), s.launch().flags());
  }

  // ---- auth ----

  @Test
  void authIsEnabledOnceRightAfterTheFirstMemberAnswers() {
    FakeWorld w = new FakeWorld(FakeWorld.spec(2, "  auth: {rootPasswordSecret: pw}\n"));
    List<String> steps = w.converge().stream().map(Action::describe).map(s -> s.replaceAll(" \\(.*", "")).toList();
    assertEquals(List.of("bootstrap demo-1", "enable auth",
        "prepare demo-2", "add learner demo-2", "start demo-2", "promote demo-2"), steps);
    assertTrue(w.authOn);
  }

  @Test
  void aClusterWithAuthAlreadyOnIsLeftAsItIs() {
    FakeWorld w = new FakeWorld(FakeWorld.spec(1, "  auth: {rootPasswordSecret: pw}\n"));
    w.voter("demo-1");
    w.authOn = true; // e.g. a restarted operator, or a cluster a user enabled by hand
    assertInstanceOf(Action.Idle.class, w.decide());
  }

  @Test
  void withoutAuthInTheSpecAuthIsNeverTouched() {
    FakeWorld w = new FakeWorld(FakeWorld.spec(1));
    w.voter("demo-1");
    assertInstanceOf(Action.Idle.class, w.decide());
  }

  @Test
  void authThatCannotBeObservedIsReportedButBlocksNothing() {
    FakeWorld w = new FakeWorld(FakeWorld.spec(2, "  auth: {rootPasswordSecret: pw}\n"));
    w.voter("demo-1");
    w.authError = "etcdserver: authentication failed, invalid user ID or password";
    assertInstanceOf(Action.Prepare.class, w.decide(), "growing goes on");
    w.voter("demo-2");
    Action.Wait wait = assertInstanceOf(Action.Wait.class, w.decide());
    assertTrue(wait.reason().contains("invalid user ID or password"), wait.reason());
  }

  @Test
  void authIsNotEnabledWithoutAHealthyQuorum() {
    FakeWorld w = new FakeWorld(FakeWorld.spec(3, "  auth: {rootPasswordSecret: pw}\n"));
    w.voter("demo-1");
    w.voter("demo-2");
    w.voter("demo-3").running = false;
    w.node("demo-2").healthy = false;
    // the stopped voter is restarted first; auth waits for a healthy quorum
    assertEquals("demo-3", assertInstanceOf(Action.Start.class, w.decide()).name());
    w.node("demo-3").running = true;
    w.node("demo-2").healthy = true;
    assertInstanceOf(Action.EnableAuth.class, w.decide());
  }

  @Test
  void restoreBootstrapsFromTheNamedBackup() {
    FakeWorld w = new FakeWorld(FakeWorld.spec(1, "  backup: {directory: b}\n  restore: {backupName: demo-x.db}\n"));
    assertEquals("demo-x.db", assertInstanceOf(Action.Bootstrap.class, w.decide()).restoreFrom());
  }

  // ---- restarted mid-step: each half-done step is finished, never done again ----

  @Test
  void restartedAfterPreparingTheFirstMemberBootstrapsThatSameMember() {
    FakeWorld w = new FakeWorld(FakeWorld.spec(3));
    w.prepared("demo-1");
    assertEquals("demo-1", assertInstanceOf(Action.Bootstrap.class, w.decide()).name());
  }

  @Test
  void restartedAfterRestoringButBeforeStartingBootstrapsTheRestoredMember() {
    FakeWorld w = new FakeWorld(FakeWorld.spec(1, "  backup: {directory: b}\n  restore: {backupName: demo-x.db}\n"));
    w.prepared("demo-1").hasData = true;
    Action.Bootstrap b = assertInstanceOf(Action.Bootstrap.class, w.decide());
    assertEquals("demo-1", b.name()); // the platform skips a restore whose data is already there
  }

  @Test
  void restartedWhileTheFirstMemberStartsWaitsForIt() {
    FakeWorld w = new FakeWorld(FakeWorld.spec(3));
    FakeWorld.Node n = w.prepared("demo-1");
    n.running = n.hasData = n.startedOnce = true; // started, not answering yet
    assertInstanceOf(Action.Wait.class, w.decide());
  }

  @Test
  void restartedAfterPrepareAddsThePreparedMemberInsteadOfPreparingAnother() {
    FakeWorld w = new FakeWorld(FakeWorld.spec(3));
    w.voter("demo-1");
    w.prepared("demo-2");
    Action.AddLearner a = assertInstanceOf(Action.AddLearner.class, w.decide());
    assertEquals("demo-2", a.name());
  }

  @Test
  void restartedAfterMemberAddStartsTheLearnerInsteadOfAddingItAgain() {
    FakeWorld w = new FakeWorld(FakeWorld.spec(3));
    w.voter("demo-1");
    FakeWorld.Node l = w.prepared("demo-2");
    l.id = 0x999L;
    l.learner = true;
    assertEquals("demo-2", assertInstanceOf(Action.Start.class, w.decide()).name());
  }

  @Test
  void restartedAfterStartingTheLearnerWaitsThenPromotesIt() {
    FakeWorld w = new FakeWorld(FakeWorld.spec(3));
    w.voter("demo-1");
    FakeWorld.Node l = w.prepared("demo-2");
    l.id = 0x999L;
    l.learner = true;
    l.running = l.hasData = l.startedOnce = true;
    assertInstanceOf(Action.Wait.class, w.decide()); // still starting
    l.healthy = true;
    assertEquals(0x999L, assertInstanceOf(Action.Promote.class, w.decide()).id());
  }

  @Test
  void restartedAfterMemberRemoveDeletesTheLeftoverInsteadOfRemovingAgain() {
    FakeWorld w = new FakeWorld(FakeWorld.spec(2));
    w.voter("demo-1");
    w.voter("demo-2");
    FakeWorld.Node gone = w.voter("demo-3");
    gone.id = null; // removed from the cluster, its process still up
    Action.Delete d = assertInstanceOf(Action.Delete.class, w.decide());
    assertEquals("demo-3", d.name());
  }

  @Test
  void noActionIsDecidedTwiceWhenItsEffectIsObserved() {
    FakeWorld w = new FakeWorld(FakeWorld.spec(3, "  backup: {interval: 1m, maxBackups: 2, directory: b}\n"));
    Action previous = null;
    for (int i = 0; i < 60; i++) {
      if (i == 20) w.spec(FakeWorld.spec(5, "  backup: {interval: 1m, maxBackups: 2, directory: b}\n"));
      if (i == 40) w.spec(FakeWorld.spec(3, "  backup: {interval: 1m, maxBackups: 2, directory: b}\n"));
      Action a = w.decide();
      if (!(a instanceof Action.Idle)) assertFalse(a.equals(previous), "decided twice: " + a.describe());
      w.apply(a);
      previous = a;
      w.pass(Duration.ofSeconds(10));
    }
    assertEquals(3, w.voters());
  }

  // ---- resize ----

  @Test
  void shrinkingRemovesTheNewestFollowerNeverTheLeader() {
    FakeWorld w = new FakeWorld(FakeWorld.spec(3));
    for (int i = 1; i <= 5; i++) w.voter("demo-" + i);
    w.leader = w.node("demo-5").id;
    Action.Remove r = assertInstanceOf(Action.Remove.class, w.decide());
    assertEquals("demo-4", r.name());
    List<Action> rest = w.converge();
    assertEquals(3, w.voters());
    assertTrue(w.node("demo-5").id != null, "the leader stays: " + rest);
  }

  @Test
  void aLearnerInFlightIsFinishedBeforeAnythingElse() {
    FakeWorld w = new FakeWorld(FakeWorld.spec(5));
    w.voter("demo-1");
    w.voter("demo-2");
    FakeWorld.Node l = w.prepared("demo-3");
    l.id = 0x999L;
    l.learner = true;
    l.running = l.hasData = l.startedOnce = l.healthy = true;
    assertInstanceOf(Action.Promote.class, w.decide());
  }

  @Test
  void aPreparedMemberThatIsNoLongerNeededIsDeleted() {
    FakeWorld w = new FakeWorld(FakeWorld.spec(1));
    w.voter("demo-1");
    w.prepared("demo-2");
    assertEquals("demo-2", assertInstanceOf(Action.Delete.class, w.decide()).name());
  }

  // ---- heal ----

  @Test
  void aVoterWhoseDataIsGoneIsRemovedThenReplacedUnderANewName() {
    FakeWorld w = new FakeWorld(FakeWorld.spec(3));
    w.voter("demo-1");
    w.voter("demo-2");
    FakeWorld.Node lost = w.voter("demo-3");
    lost.running = lost.hasData = lost.healthy = false;
    Action.Remove r = assertInstanceOf(Action.Remove.class, w.decide());
    assertEquals("demo-3", r.name());
    List<String> rest = w.converge().stream().map(Action::describe).map(s -> s.replaceAll(" \\(.*", "")).toList();
    assertEquals(List.of("remove demo-3", "delete demo-3: not a member of the cluster", "prepare demo-4", "add learner demo-4",
        "start demo-4", "promote demo-4"), rest.stream().map(s -> s.replaceAll(" \\(removed\\)", "")).toList());
  }

  @Test
  void aStoppedVoterWithItsDataIsRestartedInPlace() {
    FakeWorld w = new FakeWorld(FakeWorld.spec(3));
    w.voter("demo-1");
    w.voter("demo-2");
    FakeWorld.Node down = w.voter("demo-3");
    down.running = down.healthy = false;
    Action.Start s = assertInstanceOf(Action.Start.class, w.decide());
    assertEquals("demo-3", s.name());
  }

  @Test
  void anUnhealthyVoterIsReplacedOnlyAfterTheThreshold() {
    FakeWorld w = new FakeWorld(FakeWorld.spec(3));
    w.voter("demo-1");
    w.voter("demo-2");
    w.voter("demo-3").healthy = false; // running but not answering
    assertInstanceOf(Action.Wait.class, w.decide());
    w.pass(Duration.ofSeconds(29));
    assertInstanceOf(Action.Wait.class, w.decide());
    w.pass(Duration.ofSeconds(1));
    assertEquals("demo-3", assertInstanceOf(Action.Remove.class, w.decide()).name());
  }

  @Test
  void aLearnerThatWasNeverStartedIsNotOnTheHealClock() {
    FakeWorld w = new FakeWorld(FakeWorld.spec(3));
    w.voter("demo-1");
    FakeWorld.Node l = w.prepared("demo-2");
    l.id = 0x999L;
    l.learner = true;
    w.decide();
    assertNull(w.status.member("demo-2").unhealthySince());
    l.running = l.hasData = l.startedOnce = true; // started, not answering yet
    w.decide();
    assertEquals(w.now.toString(), w.status.member("demo-2").unhealthySince());
  }

  @Test
  void theUnhealthyClockSurvivesAControllerRestartThroughTheStatus() {
    FakeWorld w = new FakeWorld(FakeWorld.spec(3));
    w.voter("demo-1");
    w.voter("demo-2");
    w.voter("demo-3").healthy = false;
    w.decide();
    String since = w.status.member("demo-3").unhealthySince();
    w.pass(Duration.ofSeconds(10));
    w.decide();
    assertEquals(since, w.status.member("demo-3").unhealthySince());
  }

  @Test
  void neverRemovesAMemberWhenThatWouldLeaveNoHealthyQuorum() {
    FakeWorld w = new FakeWorld(FakeWorld.spec(3));
    w.voter("demo-1");
    w.voter("demo-2").healthy = false;
    w.voter("demo-3").healthy = false;
    w.decide();
    w.pass(Duration.ofMinutes(5));
    // 1 healthy of 3: removing either unhealthy voter leaves 1 healthy of 2, below a quorum of 2
    assertInstanceOf(Action.Wait.class, w.decide());
  }

  @Test
  void shrinkingWaitsWhileAMemberIsUnhealthy() {
    FakeWorld w = new FakeWorld(FakeWorld.spec(1));
    w.voter("demo-1");
    w.voter("demo-2");
    w.voter("demo-3").healthy = false;
    assertInstanceOf(Action.Wait.class, w.decide());
  }

  @Test
  void aClusterMemberWithoutAPlatformMemberIsRemoved() {
    FakeWorld w = new FakeWorld(FakeWorld.spec(3));
    w.voter("demo-1");
    w.voter("demo-2");
    w.voter("demo-3");
    w.node("demo-3").onPlatform = false; // its whole directory went
    assertEquals(w.node("demo-3").id, assertInstanceOf(Action.Remove.class, w.decide()).id());
  }

  @Test
  void whenNoMemberAnswersStoppedMembersAreRestarted() {
    FakeWorld w = new FakeWorld(FakeWorld.spec(3));
    for (int i = 1; i <= 3; i++) {
      FakeWorld.Node n = w.voter("demo-" + i);
      n.running = n.healthy = false;
    }
    assertEquals("demo-1", assertInstanceOf(Action.Start.class, w.decide()).name());
  }

  // ---- backups ----

  @Test
  void backupsAreTakenOnTheIntervalAndPrunedBeyondMaxBackups() {
    FakeWorld w = new FakeWorld(FakeWorld.spec(1, "  backup: {interval: 1m, maxBackups: 2, directory: b}\n"));
    w.voter("demo-1");
    assertInstanceOf(Action.Backup.class, w.decide());
    w.apply(new Action.Backup());
    w.pass(Duration.ofSeconds(59));
    assertInstanceOf(Action.Idle.class, w.decide());
    for (int i = 0; i < 2; i++) {
      w.pass(Duration.ofSeconds(61));
      assertInstanceOf(Action.Backup.class, w.decide());
      w.apply(new Action.Backup());
    }
    String oldest = w.backups.get(0).name();
    assertEquals(oldest, assertInstanceOf(Action.Prune.class, w.decide()).backupName());
  }

  @Test
  void withoutMaxBackupsNothingIsEverDeleted() {
    FakeWorld w = new FakeWorld(FakeWorld.spec(1, "  backup: {interval: 1m, directory: b}\n"));
    w.voter("demo-1");
    for (int i = 0; i < 10; i++) {
      assertInstanceOf(Action.Backup.class, w.decide());
      w.apply(new Action.Backup());
      w.pass(Duration.ofMinutes(1));
    }
    assertEquals(10, w.backups.size());
  }

  @Test
  void noBackupWithoutAHealthyQuorum() {
    FakeWorld w = new FakeWorld(FakeWorld.spec(3, "  backup: {interval: 1m, directory: b}\n"));
    w.voter("demo-1");
    w.voter("demo-2").healthy = false;
    w.voter("demo-3").healthy = false;
    assertFalse(w.decide() instanceof Action.Backup);
  }

  // ---- upgrade ----

  @Test
  void upgradeReplacesFollowersFirstThenMovesLeadershipThenTheOldLeader() {
    FakeWorld w = new FakeWorld(FakeWorld.spec(3));
    w.voter("demo-1");
    w.voter("demo-2");
    w.voter("demo-3");
    w.spec(FakeWorld.spec(3, "  version: other/vkv.jar\n"));
    List<String> steps = w.converge().stream().map(Action::describe).toList();
    assertEquals(4, steps.size(), steps.toString());
    assertTrue(steps.get(0).startsWith("upgrade demo-2"), steps.toString());
    assertTrue(steps.get(1).startsWith("upgrade demo-3"), steps.toString());
    assertTrue(steps.get(2).startsWith("move leader"), steps.toString());
    assertTrue(steps.get(3).startsWith("upgrade demo-1"), steps.toString());
  }

  @Test
  void oneUpgradeAtATime() {
    FakeWorld w = new FakeWorld(FakeWorld.spec(3, "  version: other/vkv.jar\n"));
    w.voter("demo-1").version = "current";
    FakeWorld.Node two = w.voter("demo-2");
    two.version = "current";
    two.healthy = false; // being restarted on the new jar
    w.voter("demo-3").version = "current";
    assertInstanceOf(Action.Wait.class, w.decide());
  }

  // ---- status ----

  @Test
  void statusReportsTheLowestVersionTheLeaderAndConditions() {
    FakeWorld w = new FakeWorld(FakeWorld.spec(3));
    w.voter("demo-1").serverVersion = "3.4.10";
    w.voter("demo-2").serverVersion = "3.4.9";
    w.voter("demo-3").serverVersion = "3.5.0";
    w.decide();
    assertEquals("3.4.9", w.status.currentVersion());
    assertEquals("demo-1", w.status.leader());
    assertEquals("Running", w.status.phase());
    assertEquals("True", w.status.conditions().stream().filter(c -> c.type().equals("Ready")).findFirst().orElseThrow().status());
  }
}

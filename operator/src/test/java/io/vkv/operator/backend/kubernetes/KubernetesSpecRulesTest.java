package io.vkv.operator.backend.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.fabric8.kubernetes.client.utils.Serialization;
import io.vkv.operator.spec.VkvCluster;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** What a VkvCluster on Kubernetes may say: the common rules, backups in a named claim, a storage size as a quantity. */
class KubernetesSpecRulesTest {

  @Test
  void aPlainClusterPassesWithoutADataRoot() {
    VkvCluster c = parse(MockApi.cluster("demo", 3, ""));
    KubernetesSpecRules.check(c, "demo");
    assertEquals("2Gi", c.spec().storage().size());
  }

  @Test
  void refusals() {
    assertEquals("demo: spec.backup.volumeClaim must name the PersistentVolumeClaim backups go to (mounted into the operator's Pod;"
        + " see docs/operator.md)", refused("  backup: {directory: b}\n"));
    assertEquals("demo: spec.backup.volumeClaim must name the PersistentVolumeClaim backups go to (mounted into the operator's Pod;"
        + " see docs/operator.md)", refused("  backup: {directory: b, volumeClaim: Not_A_Name}\n"));
    for (String dir : new String[] {"/backups", "../other", "a/../../b"}) {
      assertEquals("demo: spec.backup.directory must be a relative path inside the claim, not " + dir,
          refused("  backup: {directory: '" + dir + "', volumeClaim: vkv-backups}\n"));
    }
    for (String name : new String[] {"../x.db", "sub/x.db", ".x.db.part"}) {
      assertEquals("demo: spec.restore.backupName must be a backup's file name in spec.backup.directory",
          refused("  backup: {directory: b, volumeClaim: vkv-backups}\n  restore: {backupName: '" + name + "'}\n"));
    }
    assertEquals("demo: spec.tls.clientSecret must name a Secret in the cluster's namespace, not Client_TLS",
        refused("  tls: {clientSecret: Client_TLS}\n"));
    assertEquals("demo: spec.tls.peerSecret must name a Secret in the cluster's namespace, not ../peer",
        refused("  tls: {peerSecret: ../peer}\n"));
    assertEquals("demo: spec.auth.rootPasswordSecret must name a Secret in the cluster's namespace, not root/pw",
        refused("  auth: {rootPasswordSecret: root/pw}\n"));
    assertEquals("demo: spec.size must be at least 1", message(parse(MockApi.cluster("demo", 0, ""))));
  }

  @Test
  void tlsAndAuthNamingSecretsPass() {
    for (String extra : new String[] {"  tls: {autoTls: true}\n", "  tls: {clientSecret: demo-client, peerSecret: demo.peer, clientCertAuth: true}\n",
        "  tls: {autoTls: true, peerSecret: peer}\n  auth: {rootPasswordSecret: demo-root}\n"}) {
      KubernetesSpecRules.check(parse(MockApi.cluster("demo", 3, extra)), "demo");
    }
  }

  @Test
  void backupsInAClaimAndARestoreFromOneOfThemPass() {
    VkvCluster c = parse(MockApi.cluster("demo", 3,
        "  backup: {interval: 30m, maxBackups: 5, directory: clusters/demo, volumeClaim: vkv-backups}\n"
            + "  restore: {backupName: demo-20261206T224908193Z-r51.db}\n"));
    KubernetesSpecRules.check(c, "demo");
    assertEquals("vkv-backups", c.spec().backup().volumeClaim());
  }

  @Test
  void theStorageSizeMustBeAQuantity() {
    for (String ok : new String[] {"1Gi", "500Mi", "10G", "1.5Gi", "1073741824"}) {
      KubernetesSpecRules.check(parse(sized(ok)), "demo");
    }
    for (String bad : new String[] {"0", "0Gi", "lots", "1 Gi", "-1Gi", "1GB"}) {
      assertEquals("demo: spec.storage.size must be a positive quantity such as 1Gi or 500Mi, not " + bad, message(parse(sized(bad))), bad);
    }
  }

  private static String sized(String size) {
    return "apiVersion: vkv.io/v1alpha1\nkind: VkvCluster\nmetadata: {name: demo}\nspec:\n  size: 1\n  storage: {size: '" + size + "'}\n";
  }

  private static String refused(String extra) {
    return message(parse(MockApi.cluster("demo", 3, extra)));
  }

  private static String message(VkvCluster c) {
    return assertThrows(IllegalArgumentException.class, () -> KubernetesSpecRules.check(c, "demo")).getMessage();
  }

  private static VkvCluster parse(String yaml) {
    return Serialization.unmarshal(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), VkvClusterResource.class).toDocument();
  }
}

package io.vkv.operator.backend.kubernetes;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;

/** The objects one cluster shares: the headless peer Service, the client Service and the PodDisruptionBudget. */
final class ClusterObjects {
  private final Owner owner;
  private final MemberAddresses addresses;

  ClusterObjects(Owner owner, MemberAddresses addresses) {
    this.owner = owner;
    this.addresses = addresses;
  }

  /**
   * Headless, and publishing members that are not ready yet: a joining member must resolve its peers' names before
   * it can catch up and become ready.
   */
  Service peerService() {
    return new ServiceBuilder()
        .withNewMetadata().withName(addresses.peerService()).withNamespace(owner.namespace())
        .withLabels(Labels.cluster(owner.name())).withOwnerReferences(owner.reference()).endMetadata()
        .withNewSpec().withClusterIP("None").withPublishNotReadyAddresses(true).withSelector(Labels.cluster(owner.name()))
        .addNewPort().withName("peer").withPort(MemberAddresses.PEER_PORT).withTargetPort(new IntOrString("peer")).endPort()
        .addNewPort().withName("client").withPort(MemberAddresses.CLIENT_PORT).withTargetPort(new IntOrString("client")).endPort()
        .endSpec()
        .build();
  }

  /** What clients connect to: only members whose {@code /readyz} passes. */
  Service clientService() {
    return new ServiceBuilder()
        .withNewMetadata().withName(addresses.clientService()).withNamespace(owner.namespace())
        .withLabels(Labels.cluster(owner.name())).withOwnerReferences(owner.reference()).endMetadata()
        .withNewSpec().withType("ClusterIP").withSelector(Labels.cluster(owner.name()))
        .addNewPort().withName("client").withPort(MemberAddresses.CLIENT_PORT).withTargetPort(new IntOrString("client")).endPort()
        .endSpec()
        .build();
  }

  /** Voluntary evictions (node drains) take one member at a time, as the controller's own changes do. */
  PodDisruptionBudget disruptionBudget() {
    return new PodDisruptionBudgetBuilder()
        .withNewMetadata().withName(owner.name()).withNamespace(owner.namespace())
        .withLabels(Labels.cluster(owner.name())).withOwnerReferences(owner.reference()).endMetadata()
        .withNewSpec().withMaxUnavailable(new IntOrString(1))
        .withNewSelector().withMatchLabels(Labels.cluster(owner.name())).endSelector()
        .endSpec()
        .build();
  }
}

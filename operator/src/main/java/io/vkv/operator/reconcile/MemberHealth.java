package io.vkv.operator.reconcile;

/** What {@code Maintenance.Status} on one member's client URL said; {@code healthy} = it answered and knows a leader. */
public record MemberHealth(boolean healthy, long memberId, long leaderId, String version, boolean learner) {}

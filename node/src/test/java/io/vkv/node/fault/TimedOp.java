package io.vkv.node.fault;

/** An operation of a recorded history, as the linearizability search sees its timing. */
interface TimedOp {
  long invokeNanos();

  /** When its answer came, for an operation with a known outcome. */
  long returnNanos();

  /** Whether its outcome is known (an unknown one may take effect at any time after its call, or never). */
  boolean known();
}

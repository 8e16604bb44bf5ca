package io.vkv.operator.reconcile;

import java.time.Instant;

/** A verified backup in the backup directory, as its name tells: when it was taken and at which revision. */
public record BackupFile(String name, Instant time, long revision) {}

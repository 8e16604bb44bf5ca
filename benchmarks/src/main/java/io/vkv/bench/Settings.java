package io.vkv.bench;

import java.time.Duration;
import java.util.List;

/**
 * The resolved global flags of one run. {@code total} is -1 when the run is bounded by {@code duration};
 * a zero {@code rate} means unlimited and a zero {@code timeout} no deadline. {@code hdrOut} and {@code plot} are
 * files to write at the end, or null. {@code user} and {@code password} are null without --user; {@code tls} is
 * null for plain text.
 */
record Settings(List<String> endpoints, int conns, int clients, long total, Duration duration, double rate,
                Duration timeout, int eventLoops, String hdrOut, String plot, String user, String password,
                ClientTls tls) {
}

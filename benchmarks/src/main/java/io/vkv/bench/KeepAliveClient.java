package io.vkv.bench;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.streams.ReadStream;
import io.vertx.core.streams.WriteStream;
import io.vertx.grpc.client.GrpcClientRequest;
import io.vkv.api.etcdserverpb.LeaseGrantRequest;
import io.vkv.api.etcdserverpb.LeaseGrpcClient;
import io.vkv.api.etcdserverpb.LeaseKeepAliveRequest;
import io.vkv.api.etcdserverpb.LeaseKeepAliveResponse;
import io.vkv.api.etcdserverpb.LeaseRevokeRequest;

/**
 * One lease-keepalive client: a lease of its own and a LeaseKeepAlive stream of its own, with one renewal in flight
 * at a time. Set up (grant, open, one unmeasured renewal), then renew in a loop driven by its {@link LeaseVerticle}
 * until the run is over or the stream fails. Runs on that verticle's event loop only.
 */
final class KeepAliveClient {
  enum Phase { SETUP, READY, RUNNING, DONE }

  private final LeaseVerticle owner;
  private final LeaseGrpcClient grpc;
  private Phase phase = Phase.SETUP;
  private Promise<Void> setupDone;
  private LeaseKeepAliveRequest renewal;
  private WriteStream<LeaseKeepAliveRequest> requests;
  private long leaseId;
  private boolean inFlight;
  private long sentNanos;
  Throwable setupError;

  KeepAliveClient(LeaseVerticle owner, LeaseGrpcClient grpc) {
    this.owner = owner;
    this.grpc = grpc;
  }

  Phase phase() {
    return phase;
  }

  /** Grants the lease, opens the stream and waits for the first renewal; fails with the reason it could not. */
  Future<Void> setup(long ttlSeconds) {
    setupDone = Promise.promise();
    grpc.leaseGrant(LeaseGrantRequest.newBuilder().setTTL(ttlSeconds).build()).onComplete(ar -> {
      if (ar.failed()) {
        setupFailed(ar.cause());
      } else if (!ar.result().getError().isEmpty() || ar.result().getID() == 0) {
        setupFailed(new IllegalStateException("lease not granted: " + ar.result().getError()));
      } else {
        leaseId = ar.result().getID();
        renewal = LeaseKeepAliveRequest.newBuilder().setID(leaseId).build();
        openStream();
      }
    });
    return setupDone.future();
  }

  private void openStream() {
    // the response future completes only after the server's headers, which follow the first request: write it here
    grpc.leaseKeepAlive((req, err) -> {
      if (err != null) return; // the returned future fails too
      requests = req;
      req.write(renewal);
    }).onSuccess(this::listen).onFailure(this::streamFailed);
  }

  private void listen(ReadStream<LeaseKeepAliveResponse> responses) {
    responses.exceptionHandler(this::streamFailed);
    responses.endHandler(v -> streamFailed(new IllegalStateException("keep-alive stream ended by the server")));
    responses.handler(this::onResponse);
  }

  private void onResponse(LeaseKeepAliveResponse r) {
    if (phase == Phase.SETUP) {
      if (r.getTTL() <= 0) {
        setupFailed(new IllegalStateException("lease " + leaseId + " not found on its first renewal"));
      } else {
        phase = Phase.READY;
        setupDone.tryComplete();
      }
      return;
    }
    if (phase != Phase.RUNNING || !inFlight) return;
    inFlight = false;
    owner.renewed(this, sentNanos, System.nanoTime(), r.getTTL() > 0 ? null
        : new IllegalStateException("lease " + leaseId + " expired or not found (TTL " + r.getTTL() + ")"));
  }

  private void setupFailed(Throwable t) {
    if (phase != Phase.SETUP) return;
    phase = Phase.DONE;
    setupError = t;
    cancel();
    setupDone.tryComplete(); // a failed client is set up too: it just will not run
  }

  private void streamFailed(Throwable t) {
    if (phase == Phase.SETUP) {
      setupFailed(t);
    } else if (phase == Phase.READY) { // lost before the run began: the run counts it with the setup failures
      phase = Phase.DONE;
      setupError = t;
    } else if (phase == Phase.RUNNING) {
      phase = Phase.DONE;
      inFlight = false;
      owner.clientFailed(t);
    }
  }

  /** Starts the measured loop (READY clients only). */
  void start() {
    phase = Phase.RUNNING;
  }

  /** Sends one measured renewal, unless the client has stopped meanwhile. */
  void send() {
    if (phase != Phase.RUNNING) return;
    inFlight = true;
    sentNanos = System.nanoTime();
    requests.write(renewal);
  }

  /** Abandons a client: still setting up when the run began, or no more requests to send. */
  void stop() {
    phase = Phase.DONE;
    inFlight = false;
  }

  /** True when a renewal has been waiting longer than {@code limitNanos}; the client then fails and stops. */
  boolean timedOut(long now, long limitNanos) {
    if (phase != Phase.RUNNING || !inFlight || now - sentNanos < limitNanos) return false;
    phase = Phase.DONE;
    inFlight = false;
    cancel();
    return true;
  }

  /** Closes the request side: the server ends the stream in turn. */
  void close() {
    if (requests != null) requests.end();
  }

  private void cancel() {
    if (requests instanceof GrpcClientRequest<?, ?> call) call.cancel();
  }

  /** Revokes the lease, if one was granted; not measured. */
  Future<?> revoke() {
    if (leaseId == 0) return Future.succeededFuture();
    return grpc.leaseRevoke(LeaseRevokeRequest.newBuilder().setID(leaseId).build());
  }
}

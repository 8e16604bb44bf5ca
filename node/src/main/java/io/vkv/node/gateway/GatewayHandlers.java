package io.vkv.node.gateway;

import io.vkv.node.grpc.AuthEndpoint;
import io.vkv.node.grpc.ClusterEndpoint;
import io.vkv.node.grpc.KvEndpoint;
import io.vkv.node.grpc.LeaseEndpoint;
import io.vkv.node.grpc.MaintenanceEndpoint;
import io.vkv.node.lock.ElectionEndpoint;
import io.vkv.node.lock.LockEndpoint;
import io.vkv.node.watch.WatchEndpoint;

/** The handler objects the gRPC server is bound to on this event loop; the gateway calls the very same ones. */
public record GatewayHandlers(KvEndpoint kv, WatchEndpoint watch, LeaseEndpoint lease, AuthEndpoint auth,
                              ClusterEndpoint cluster, MaintenanceEndpoint maintenance, LockEndpoint lock,
                              ElectionEndpoint election) {}

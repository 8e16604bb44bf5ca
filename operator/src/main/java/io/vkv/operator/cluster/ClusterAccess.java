package io.vkv.operator.cluster;

import java.nio.file.Path;

/**
 * How the operator reaches a cluster's client port: over TLS when {@code trustedCa} is set (the members'
 * certificates must chain to it and name the host dialled), with a client certificate when the members require one,
 * and as {@code user} (etcd's root) once auth is on.
 *
 * @param trustedCa the CA of the members' client certificates; null: plain text
 * @param certFile  the operator's client certificate; null: none
 * @param keyFile   its key
 * @param user      the user the operator authenticates as; null: no auth
 * @param password  that user's password
 */
public record ClusterAccess(Path trustedCa, Path certFile, Path keyFile, String user, String password) {

  public static ClusterAccess plainText() {
    return new ClusterAccess(null, null, null, null, null);
  }

  public boolean tls() {
    return trustedCa != null;
  }

  public boolean auth() {
    return user != null;
  }

  /** Never prints the password. */
  @Override
  public String toString() {
    return "ClusterAccess[trustedCa=" + trustedCa + ", certFile=" + certFile + ", user=" + user + "]";
  }
}

package io.vkv.store;

import com.google.protobuf.ByteString;
import io.vkv.api.EtcdError;
import io.vkv.api.authpb.Permission;
import io.vkv.api.authpb.Role;
import io.vkv.api.authpb.User;
import io.vkv.api.internal.AuthRecord;
import io.vkv.api.internal.RequestHeader;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Users, roles and whether auth is on, as of one applied log index; immutable, so readers on any thread can check
 * permissions without touching LMDB. The checks and their errors are etcd's: a request without a user fails with
 * "user name is empty", one whose token predates the last auth change with "revision of auth store is old".
 */
public final class AuthState {
  public static final String ROOT = "root";
  /** etcd's auth revision starts at 1 on a fresh store. */
  static final AuthState INITIAL = new AuthState(AuthRecord.newBuilder().setRevision(1).build());

  private final AuthRecord record;
  private final Map<String, User> users = new TreeMap<>();
  private final Map<String, Role> roles = new TreeMap<>();
  /** Per user and permission type: the merged key ranges its roles allow, built on first use. */
  private final Map<String, KeyIntervals> readable = new ConcurrentHashMap<>();
  private final Map<String, KeyIntervals> writable = new ConcurrentHashMap<>();

  AuthState(AuthRecord record) {
    this.record = record;
    for (User u : record.getUsersList()) users.put(u.getName().toStringUtf8(), u);
    for (Role r : record.getRolesList()) roles.put(r.getName().toStringUtf8(), r);
  }

  AuthRecord record() {
    return record;
  }

  public boolean enabled() {
    return record.getEnabled();
  }

  public long revision() {
    return record.getRevision();
  }

  /** The user, or null. */
  public User user(String name) {
    return users.get(name);
  }

  /** The role, or null. */
  public Role role(String name) {
    return roles.get(name);
  }

  /** User names in order. */
  public List<String> userNames() {
    return List.copyOf(users.keySet());
  }

  /** Role names in order. */
  public List<String> roleNames() {
    return List.copyOf(roles.keySet());
  }

  public boolean hasRole(String user, String role) {
    User u = users.get(user);
    return u != null && u.getRolesList().contains(role);
  }

  /** etcd's IsAdminPermitted: with auth on, only a user holding the root role manages auth. */
  public void checkAdmin(RequestHeader who) {
    if (!enabled()) return;
    if (who.getUsername().isEmpty()) throw EtcdError.USER_EMPTY.exception();
    User u = users.get(who.getUsername());
    if (u == null) throw EtcdError.USER_NOT_FOUND.exception();
    if (!u.getRolesList().contains(ROOT)) throw EtcdError.PERMISSION_DENIED.exception();
  }

  /** Read permission on [key, rangeEnd) in etcd's range encoding. */
  public void checkRead(RequestHeader who, ByteString key, ByteString rangeEnd) {
    check(who, key, rangeEnd, false);
  }

  /** Write permission on [key, rangeEnd) in etcd's range encoding. */
  public void checkWrite(RequestHeader who, ByteString key, ByteString rangeEnd) {
    check(who, key, rangeEnd, true);
  }

  private void check(RequestHeader who, ByteString key, ByteString rangeEnd, boolean write) {
    if (!enabled()) return;
    if (who.getUsername().isEmpty() || who.getAuthRevision() == 0) throw EtcdError.USER_EMPTY.exception();
    if (who.getAuthRevision() < revision()) throw EtcdError.AUTH_OLD_REVISION.exception();
    User u = users.get(who.getUsername());
    if (u == null) throw EtcdError.PERMISSION_DENIED.exception();
    if (u.getRolesList().contains(ROOT)) return;
    KeyIntervals allowed = (write ? writable : readable).computeIfAbsent(u.getName().toStringUtf8(), n -> intervals(u, write));
    if (!allowed.covers(key.toByteArray(), rangeEnd.toByteArray())) throw EtcdError.PERMISSION_DENIED.exception();
  }

  private KeyIntervals intervals(User u, boolean write) {
    List<ByteString[]> ranges = new ArrayList<>();
    for (String roleName : u.getRolesList()) {
      Role r = roles.get(roleName);
      if (r == null) continue;
      for (Permission p : r.getKeyPermissionList()) {
        boolean grants = p.getPermType() == Permission.Type.READWRITE
            || p.getPermType() == (write ? Permission.Type.WRITE : Permission.Type.READ);
        if (grants) ranges.add(new ByteString[] {p.getKey(), p.getRangeEnd()});
      }
    }
    return ranges.isEmpty() ? KeyIntervals.NONE : KeyIntervals.of(Collections.unmodifiableList(ranges));
  }
}

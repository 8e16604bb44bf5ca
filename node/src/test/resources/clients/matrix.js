// The client matrix's Node.js column (issue #17): the npm etcd3 package (1.1.2, bin/test installs it) against one
// etcd v3 server.
//
// Usage: NODE_PATH=<dir>/node_modules node matrix.js HOST:PORT   (a fresh server: the script compacts, enables auth)
//
// Does put, get, prefix range, delete, txn (compare/then/else), a watch, a lease with keep-alive, a lock and one
// error of each kind through the package's own API, and prints a transcript that does not depend on the server:
// values, counts, booleans, event types, the package's error classes and messages; revisions only relative to one
// another, never lease ids. The test runs it against etcd 3.4 and vkv and compares. Any unexpected failure exits
// non-zero with the stack; a watchdog ends the script after LIMIT_MS.
'use strict';

const LIMIT_MS = 45000;
const CALL_MS = 10000;

const watchdog = setTimeout(() => {
  process.stderr.write(`matrix.js: gave up after ${LIMIT_MS / 1000} s (a call or a wait hung)\n`);
  process.exit(3);
}, LIMIT_MS);

const {Etcd3, KVClient, LeaseClient, EtcdLeaseInvalidError} = require('etcd3');

function emit(...parts) {
  process.stdout.write(parts.map(p => (typeof p === 'object' && p !== null ? JSON.stringify(p) : String(p))).join('|') + '\n');
}

function describe(err) {
  // grpc-js prefixes the message with the numeric code and its name ("5 NOT_FOUND: etcdserver: ..."); both are the
  // server's answer, so they stay
  return `${err.constructor.name}|${err.message}`;
}

async function failure(call) {
  let result;
  try {
    result = await call();
  } catch (err) {
    return describe(err);
  }
  throw new Error(`expected an error, got ${JSON.stringify(result)}`);
}

const pause = ms => new Promise(resolve => setTimeout(resolve, ms));

async function waitFor(what, condition, limitMs = CALL_MS) {
  const deadline = Date.now() + limitMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`not within ${limitMs} ms: ${what}`);
    await pause(20);
  }
}

/** A client with a deadline on every call; the package's default retry policy retries only unavailable hosts. */
function client(endpoint, extra = {}) {
  return new Etcd3({hosts: `http://${endpoint}`, defaultCallOptions: () => ({deadline: Date.now() + CALL_MS}), ...extra});
}

async function kv(c) {
  for (const [k, v] of [['m/a', '1'], ['m/b', '2'], ['m/c', '3'], ['n/x', '9']]) await c.put(k).value(v);
  emit('put', 'm/a,m/b,m/c,n/x');
  const got = await c.get('m/a').exec();
  emit('get', 'm/a', got.kvs[0].value.toString(), 'version', got.kvs[0].version);
  const prev = await c.put('m/a').value('1').getPrevious();
  emit('put prev_kv', prev.value.toString(), 'version', (await c.get('m/a').exec()).kvs[0].version);
  emit('get missing', await c.get('m/none').string());
  const all = await c.getAll().prefix('m/').strings();
  emit('prefix m/', await c.getAll().prefix('m/').count(), Object.keys(all).sort().map(k => `${k}=${all[k]}`).join(','));
  emit('delete m/c', (await c.delete().key('m/c').exec()).deleted);
  emit('delete m/c again', (await c.delete().key('m/c').exec()).deleted);
  emit('prefix m/ after delete', await c.getAll().prefix('m/').count());
}

async function txn(c) {
  let res = await c.if('m/a', 'Value', '==', '1').and('m/b', 'Version', '>', 0)
      .then(c.put('m/a').value('one'), c.get('m/b'))
      .else(c.get('m/a'))
      .commit();
  emit('txn', res.succeeded, res.responses.length, res.responses[1].response_range.kvs[0].value.toString(),
      'm/a', await c.get('m/a').string());
  res = await c.if('m/a', 'Value', '==', '1')
      .then(c.put('m/a').value('never'))
      .else(c.get('m/a'), c.delete().key('m/b'))
      .commit();
  emit('txn compare fails', res.succeeded, res.responses.length, res.responses[0].response_range.kvs[0].value.toString(),
      'm/b', await c.get('m/b').string());
  res = await c.if('m/new', 'Create', '==', 0).then(c.put('m/new').value('x')).commit();
  emit('txn create==0', res.succeeded, 'again', (await c.if('m/new', 'Create', '==', 0).commit()).succeeded);
}

async function watch(c) {
  const seen = [];
  const w = await c.watch().prefix('w/').withPreviousKV().create();
  w.on('put', (kv, prev) => seen.push(`put|${kv.key}|${kv.value}|prev=${prev ? prev.value.toString() : null}`));
  w.on('delete', (kv, prev) => seen.push(`delete|${kv.key}|${kv.value}|prev=${prev ? prev.value.toString() : null}`));
  await c.put('w/k').value('v1');
  await c.put('w/k').value('v2');
  await c.put('x/outside').value('no');
  await c.delete().key('w/k');
  await waitFor('3 watch events', () => seen.length >= 3);
  await w.cancel();
  for (const line of seen) emit('watch', line);
}

async function lease(c) {
  const l = c.lease(3);
  let keepalives = 0;
  const ttls = new Set();
  l.on('keepaliveSucceeded', res => {
    keepalives++;
    ttls.add(res.TTL);
  });
  const lost = [];
  l.on('lost', err => lost.push(err.constructor.name));
  await l.put('l/k').value('v');
  const id = await l.grant();
  const info = await new LeaseClient(c.pool).leaseTimeToLive({ID: id, keys: true});
  emit('lease granted', info.grantedTTL, 'keys', info.keys.map(k => k.toString()));
  // the package keeps the lease alive by itself (every TTL/3); 4.5 s is longer than the TTL
  await pause(4500);
  emit('lease kept alive', [...ttls].sort(), 'keepalives>=3', keepalives >= 3, 'key', await c.get('l/k').string(),
      'lost', lost);
  await l.revoke();
  emit('lease revoked', 'key', await c.get('l/k').string(), 'state revoked', l.revoked());

  // a lease revoked behind the client's back: the keep-alive reply's TTL is 0, which the package turns into
  // EtcdLeaseInvalidError; a put on it fails with etcd's "requested lease not found", mapped to the same class
  const other = c.lease(30, {autoKeepAlive: false});
  const otherId = await other.grant();
  await new LeaseClient(c.pool).leaseRevoke({ID: otherId});
  emit('lease keepaliveOnce revoked', await failure(() => other.keepaliveOnce()).then(s => s.split('|')[0]));
  const third = c.lease(30, {autoKeepAlive: false});
  const thirdId = await third.grant();
  await new LeaseClient(c.pool).leaseRevoke({ID: thirdId});
  const putErr = await failure(() => third.put('l/x').value('v'));
  emit('lease put revoked', putErr.split('|')[0], putErr.includes('etcdserver: requested lease not found'));

  // a lease that expires on its own takes its key with it
  const short = c.lease(2, {autoKeepAlive: false});
  await short.put('l/short').value('v');
  await waitFor('the 2 s lease to expire', async () => (await c.get('l/short').string()) === null);
  emit('lease expired', 'key', await c.get('l/short').string());
  short.release();
}

async function lock(c) {
  const first = c.lock('res').ttl(10);
  await first.acquire();
  emit('lock acquire', 'holder lease', (await first.leaseId()) !== null, 'key exists', await c.get('res').exists());
  // contention: the package makes one attempt and fails with its own error class
  emit('lock contended', await failure(() => c.lock('res').ttl(10).acquire()));
  await first.release();
  emit('lock release', 'key exists', await c.get('res').exists());
  const second = c.lock('res').ttl(10);
  await second.acquire();
  emit('lock second acquire', 'key exists', await c.get('res').exists());
  await second.release();
  emit('lock do', await c.lock('res').ttl(10).do(async () => 'ran'), 'key exists', await c.get('res').exists());
}

async function errors(c, endpoint) {
  emit('error empty key', await failure(() => c.put('').value('x')));
  emit('error duplicate key in txn', await failure(() => c.if('e/d', 'Create', '==', 0)
      .then(c.put('e/d').value('1'), c.put('e/d').value('2')).commit()));
  emit('error unknown lease revoke', await failure(() => new LeaseClient(c.pool).leaseRevoke({ID: '2128394991'})));
  for (let i = 0; i < 3; i++) await c.put('e/c').value(String(i));
  const rev = Number((await c.get('e/c').exec()).kvs[0].mod_revision);
  await new KVClient(c.pool).compact({revision: rev, physical: true});
  emit('error compacted range', await failure(() => c.get('e/c').revision(rev - 1).string()));
  emit('error future range', await failure(() => c.get('e/c').revision(rev + 100).string()));
  emit('error compact again', await failure(() => new KVClient(c.pool).compact({revision: rev - 1})));
  const compacted = [];
  const w = c.watch().key('e/c').startRevision(String(rev - 1)).watcher();
  w.on('error', err => compacted.push(describe(err)));
  await waitFor("the compacted watch's error", () => compacted.length > 0);
  emit('error compacted watch', compacted[0]);

  emit('error auth enable without root', await failure(() => c.auth.authEnable({})));
  emit('error login auth disabled', await failure(() => client(endpoint, {auth: {username: 'root', password: 'pw'}})
      .get('m/a').string()));
  await c.user('root').create('pw');
  emit('error user exists', await failure(() => c.user('root').create('pw')));
  emit('error role not found', await failure(() => c.user('root').addRole('nope')));
  await c.user('root').addRole('root');
  await c.user('reader').create('pw');
  await c.auth.authEnable({});
  const bad = client(endpoint, {auth: {username: 'root', password: 'bad'}});
  emit('error wrong password', await failure(() => bad.get('m/a').string()));
  const reader = client(endpoint, {auth: {username: 'reader', password: 'pw'}});
  emit('error no permission', await failure(() => reader.put('m/a').value('x')));
  emit('error no token', await failure(() => c.get('m/a').string()));
  const root = client(endpoint, {auth: {username: 'root', password: 'pw'}});
  emit('root get', await root.get('m/a').string());
  for (const other of [bad, reader, root]) other.close();
}

async function main(endpoint) {
  const c = client(endpoint);
  try {
    await kv(c);
    await txn(c);
    await watch(c);
    await lease(c);
    await lock(c);
    await errors(c, endpoint);
  } finally {
    c.close();
  }
  emit('done');
}

main(process.argv[2]).then(() => {
  clearTimeout(watchdog);
  process.exit(0);
}, err => {
  process.stderr.write(`matrix.js: FAILED\n${err && err.stack ? err.stack : err}\n`);
  process.exit(1);
});

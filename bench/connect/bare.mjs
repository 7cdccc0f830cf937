// The server-bound minimum: the same protocol steps as a real client (TCP → STARTTLS with a
// verified certificate → SCRAM-SHA-1 → bind → roster get), but no XML parser at all — only
// string searches on the raw stream. Whatever this takes is what the server and the loopback
// cost; a client cannot do better than this.
//
// Config: env BENCH_CONFIG = { host, port, domain, user, pass, caPath }.
// Prints one JSON line: { ms, cpuMs, items, phases } (cpuMs: this process's CPU time in the window).
import { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import tls from 'node:tls';

const cfg = JSON.parse(process.env.BENCH_CONFIG);
const ca = fs.readFileSync(cfg.caPath, 'utf8');

const t0 = performance.now();
const cpu0 = process.cpuUsage();
const phases = {};
const mark = (name) => (phases[name] = +(performance.now() - t0).toFixed(2));

let socket = net.connect({ host: cfg.host, port: cfg.port, noDelay: true });
let buf = '';
let waiter;

function attach(s) {
  s.setEncoding('utf8');
  s.on('data', (d) => {
    buf += d;
    if (waiter) waiter.check();
  });
  s.on('error', (e) => fail(e));
}

/** Resolves with the buffered text once `done(buf)` returns an index ≥ 0 (end of what we wanted); drops it from the buffer. */
function waitFor(done) {
  return new Promise((resolve) => {
    waiter = {
      check() {
        const end = done(buf);
        if (end < 0) return;
        const text = buf.slice(0, end);
        buf = buf.slice(end);
        waiter = undefined;
        resolve(text);
      },
    };
    waiter.check();
  });
}

const endOf = (tag) => (b) => {
  const i = b.indexOf(tag);
  return i < 0 ? -1 : i + tag.length;
};

function fail(e) {
  process.stderr.write(`bare: ${e?.stack ?? e}\n`);
  process.exit(1);
}

const header = `<?xml version='1.0'?><stream:stream to='${cfg.domain}' version='1.0' xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>`;

try {
  attach(socket);
  await new Promise((r, j) => socket.once('connect', r).once('error', j));
  mark('tcp');
  socket.write(header);
  let text = await waitFor(endOf('</stream:features>'));
  if (!text.includes('urn:ietf:params:xml:ns:xmpp-tls')) throw new Error('no STARTTLS offered');
  socket.write("<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>");
  await waitFor(endOf('<proceed'));
  buf = '';
  socket.removeAllListeners('data');
  const secure = tls.connect({ socket, servername: cfg.domain, ca });
  await new Promise((r, j) => secure.once('secureConnect', r).once('error', j));
  if (!secure.authorized) throw new Error(`certificate not verified: ${secure.authorizationError}`);
  mark('tls');
  socket = secure;
  attach(socket);

  socket.write(header);
  text = await waitFor(endOf('</stream:features>'));
  if (!text.includes('SCRAM-SHA-1')) throw new Error('no SCRAM-SHA-1 offered');
  const cnonce = randomBytes(18).toString('base64');
  const clientFirstBare = `n=${cfg.user},r=${cnonce}`;
  socket.write(`<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='SCRAM-SHA-1'>${Buffer.from(`n,,${clientFirstBare}`).toString('base64')}</auth>`);
  text = await waitFor(endOf('</challenge>'));
  const serverFirst = Buffer.from(/<challenge[^>]*>([^<]*)<\/challenge>/.exec(text)[1], 'base64').toString();
  const attrs = Object.fromEntries(serverFirst.split(',').map((kv) => [kv[0], kv.slice(2)]));
  if (!attrs.r.startsWith(cnonce)) throw new Error('server nonce does not extend ours');
  const salted = pbkdf2Sync(cfg.pass, Buffer.from(attrs.s, 'base64'), Number(attrs.i), 20, 'sha1');
  const clientKey = createHmac('sha1', salted).update('Client Key').digest();
  const storedKey = createHash('sha1').update(clientKey).digest();
  const clientFinalNoProof = `c=biws,r=${attrs.r}`;
  const authMessage = `${clientFirstBare},${serverFirst},${clientFinalNoProof}`;
  const clientSig = createHmac('sha1', storedKey).update(authMessage).digest();
  const proof = Buffer.alloc(20);
  for (let k = 0; k < 20; k++) proof[k] = clientKey[k] ^ clientSig[k];
  socket.write(`<response xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>${Buffer.from(`${clientFinalNoProof},p=${proof.toString('base64')}`).toString('base64')}</response>`);
  text = await waitFor(endOf('</success>'));
  const serverFinal = Buffer.from(/<success[^>]*>([^<]*)<\/success>/.exec(text)[1], 'base64').toString();
  const serverKey = createHmac('sha1', salted).update('Server Key').digest();
  const expected = createHmac('sha1', serverKey).update(authMessage).digest('base64');
  if (serverFinal !== `v=${expected}`) throw new Error('bad server signature');
  mark('sasl');

  socket.write(header);
  await waitFor(endOf('</stream:features>'));
  socket.write("<iq type='set' id='b1'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'/></iq>");
  text = await waitFor(endOf('</iq>'));
  if (!text.includes('<jid>')) throw new Error(`bind failed: ${text}`);
  mark('bind');

  socket.write("<iq type='get' id='r1'><query xmlns='jabber:iq:roster'/></iq>");
  // The roster result is the iq with our id; it ends at the first `</iq>` after it (a `<query/>`
  // without items for an empty roster). Search only from the iq's start and never rescan.
  let from = 0;
  let start = -1;
  text = await waitFor((b) => {
    if (start < 0) {
      const m = /<iq[^>]*id=['"]r1['"]/.exec(b);
      if (!m) return -1;
      mark('rosterFirstChunk');
      start = m.index;
      from = start;
    }
    const i = b.indexOf('</iq>', from);
    if (i < 0) {
      from = Math.max(start, b.length - 4);
      return -1;
    }
    return i + 5;
  });
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  mark('roster');
  const roster = text.slice(start);
  if (!/type=['"]result['"]/.test(roster.slice(0, 300))) throw new Error(`roster get failed: ${roster.slice(0, 300)}`);
  const items = roster.split('<item ').length - 1;

  socket.write('</stream:stream>');
  const closed = new Promise((r) => socket.once('close', r));
  socket.end();
  await Promise.race([closed, new Promise((r) => setTimeout(r, 1_000))]);
  process.stdout.write(`${JSON.stringify({ ms, cpuMs: (cpu.user + cpu.system) / 1000, items, phases })}\n`);
  process.exit(0);
} catch (e) {
  fail(e);
}

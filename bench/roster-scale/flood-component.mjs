#!/usr/bin/env node
// The presence flood for bench/roster-scale: an external component (XEP-0114) on Prosody, so one
// process can send presence from 10,000 different contacts (userN@flood.DOMAIN/r) — each a roster
// contact of the benchmark user — as fast as the socket takes it. Separate process, so its work
// does not share an event loop with Playwright or Flint.
//
//   node flood-component.mjs PORT COMPONENT_DOMAIN SECRET
// stdin lines:  flood TO_FULL_JID COUNT FIRST_LAST   →  stdout: "sent MS"
//   (contacts u1…u{COUNT-1} first, then u0 last with status FLOOD-END, so the page can tell when
//    the last update has been applied: u0 sorts first in the list and is on screen.)
// Prints "ready" once the handshake is done; reads and drops whatever Prosody sends (probes,
// the user's presence broadcasts).
import { createHash } from 'node:crypto';
import net from 'node:net';
import readline from 'node:readline';

const [port, component, secret] = process.argv.slice(2);
const sock = net.connect({ port: Number(port), host: '127.0.0.1' });
sock.setNoDelay(true);
sock.setEncoding('utf8');
let buf = '';
let ready = false;
sock.on('data', (d) => {
  if (ready) return; // drain: probes and broadcasts are not our business
  buf += d;
  const id = /<stream:stream[^>]*\sid=['"]([^'"]+)['"]/.exec(buf);
  if (id && !buf.includes('handshake')) {
    sock.write(`<handshake>${createHash('sha1').update(id[1] + secret).digest('hex')}</handshake>`);
    buf = buf.replace(/<stream:stream[^>]*>/, '<stream-opened/>');
  }
  if (/<handshake\s*\/>|<handshake><\/handshake>/.test(buf)) {
    ready = true;
    buf = '';
    process.stdout.write('ready\n');
  }
  if (/<stream:error/.test(buf)) {
    process.stderr.write(`component error: ${buf}\n`);
    process.exit(1);
  }
});
sock.on('close', () => process.exit(0));
sock.write(`<?xml version='1.0'?><stream:stream xmlns='jabber:component:accept' xmlns:stream='http://etherx.jabber.org/streams' to='${component}'>`);

const SHOWS = ['', 'away', 'chat', 'dnd', 'xa'];
function presence(i, to, last) {
  const show = SHOWS[i % SHOWS.length];
  const status = last ? 'FLOOD-END' : i % 3 === 0 ? `Working on ticket ${i}` : '';
  return `<presence from='u${i}@${component}/r' to='${to}'>${show ? `<show>${show}</show>` : ''}${status ? `<status>${status}</status>` : ''}<priority>1</priority></presence>`;
}

const rl = readline.createInterface({ input: process.stdin });
rl.on('line', (line) => {
  const [cmd, to, count] = line.trim().split(/\s+/);
  if (cmd !== 'flood') return;
  const n = Number(count);
  const t0 = performance.now();
  const parts = [];
  for (let i = 1; i < n; i++) parts.push(presence(i, to, false));
  parts.push(presence(0, to, true));
  const all = parts.join('');
  // As fast as the socket takes it; Prosody then sends at its own pace.
  const CHUNK = 256 * 1024;
  for (let o = 0; o < all.length; o += CHUNK) sock.write(all.slice(o, o + CHUNK));
  process.stdout.write(`sent ${(performance.now() - t0).toFixed(1)} ${all.length}\n`);
});

// @xmpp/client 0.14 contender: service xmpp://127.0.0.1:PORT (STARTTLS; the test CA comes in
// through NODE_EXTRA_CA_CERTS, set by run.mjs) → SASL → bind → 'online' → roster get.
//
// Config: env BENCH_CONFIG = { host, port, domain, user, pass }.
// Prints one JSON line: { ms, cpuMs, items, phases } (cpuMs: this process's CPU time in the window).
import { client, xml } from '@xmpp/client';

const cfg = JSON.parse(process.env.BENCH_CONFIG);

function fail(e) {
  process.stderr.write(`xmppjs: ${e?.stack ?? e}\n`);
  process.exit(1);
}

const xmpp = client({
  service: `xmpp://${cfg.host}:${cfg.port}`,
  domain: cfg.domain,
  username: cfg.user,
  password: cfg.pass,
  // Its default 2 s wait for each stream open aborted whole runs on a loaded machine; the time
  // measured does not depend on it.
  timeout: 30_000,
});
xmpp.on('error', fail);
// No reconnect: a failed run must fail, not retry inside the measurement.
xmpp.reconnect.stop();

const phases = {};
let t0 = 0;
const mark = (name) => (phases[name] = +(performance.now() - t0).toFixed(2));
// Connection statuses in order: connecting, connect, opening, open, … online.
xmpp.on('status', (status) => {
  if (status === 'connect' && !phases.tcp) mark('tcp');
  else if (status === 'online') mark('bind');
});
xmpp.on('nonza', (el) => {
  if (el.is('proceed')) mark('tls'); // the upgrade follows; the next 'open' is on TLS
  else if (el.is('success')) mark('sasl');
});

try {
  t0 = performance.now();
  const cpu0 = process.cpuUsage();
  await xmpp.start();
  const result = await xmpp.iqCaller.get(xml('query', { xmlns: 'jabber:iq:roster' }));
  const items = result.getChildren('item').length;
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  mark('roster');
  await Promise.race([xmpp.stop(), new Promise((r) => setTimeout(r, 1_000))]);
  process.stdout.write(`${JSON.stringify({ ms, cpuMs: (cpu.user + cpu.system) / 1000, items, phases })}\n`);
  process.exit(0);
} catch (e) {
  fail(e);
}

import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { it } from 'vitest';
import { FlintPeer } from '../electron/main/transfers/testing/flint-peer';
import { startProsody } from '../test/harness/prosody';
import { runSlixmppPeer } from '../test/harness/slixmpp';

it('dbg', async () => {
  const server = await startProsody({ proxy65: true });
  await server.registerMany([{ user: 'alice', pass: 'alice' }, { user: 'sli', pass: 'sli' }]);
  const p = runSlixmppPeer('/work/main/test/harness/peers/file_peer.py', ['--jid', 'sli@example.test', '--password', 'sli', '--port', String(server.c2sPort), '--ca', server.caCertPath, '--prefer', 'socks5', '--auto', 'accept', '--debug']);
  const online = await p.waitFor((l) => l.event === 'online');
  const alice = await FlintPeer.connect({ jid: 'alice@example.test', password: 'alice', resource: 'x', host: '127.0.0.1', port: server.c2sPort, caPem: server.caCertPem, transfers: { directAddresses: ['127.0.0.1'] },
    log: { debug() {}, info: (m, f) => console.log('INFO', m, f), warn: (m, f) => console.log('WARN', m, f), error: (m, f) => console.log('ERR', m, f) } });
  const f = '/tmp/dbg.bin'; writeFileSync(f, randomBytes(100000));
  const t = await alice.transfers.send(online.jid as string, f, { method: 'si' });
  await new Promise((r) => setTimeout(r, 5000));
  console.log(JSON.stringify(alice.transfers.get(t.id)));
  console.log(p.received());
  console.log(p.stderr().split('\n').filter(l => !/SEND|RECV|DEBUG/.test(l)).slice(-40).join('\n'));
  await p.stop(); await alice.close(); await server.stop({ graceful: false });
}, 60000);

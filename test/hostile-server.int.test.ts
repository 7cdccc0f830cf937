// What real servers never send: a scripted server on loopback tries DOCTYPEs, entity bombs,
// comments, processing instructions, a 100 MB stanza, a missing STARTTLS and a forged SCRAM
// signature. Flint must refuse each with a clear reason, send no credentials where it must not,
// and keep running.
import { afterEach, describe, expect, it } from 'vitest';
import { startHostileServer, type HostileConn, type HostileServer } from './harness/hostile-server';
import { TestAccount } from './support/client';

const HEADER = `<?xml version='1.0'?><stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' id='h1' from='example.test' version='1.0'>`;
const SCRAM_ONLY = `<stream:features><mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><mechanism>SCRAM-SHA-1</mechanism></mechanisms></stream:features>`;

let server: HostileServer | undefined;
let account: TestAccount | undefined;

afterEach(async () => {
  await account?.close();
  await server?.close();
  account = undefined;
  server = undefined;
});

async function run(script: (c: HostileConn) => Promise<void>, tlsMode: 'starttls' | 'plaintext' = 'starttls') {
  server = await startHostileServer(async (c) => {
    try {
      await script(c);
    } catch {
      // the client hung up mid-script: that is what most of these tests expect
    }
  });
  account = new TestAccount();
  await account.login({ jid: 'victim@example.test', host: '127.0.0.1', port: server.port, tlsMode }, 'secret-password');
  // Fatal problems end in 'failed'; protocol errors back off into 'reconnecting'. Either way it stops.
  const ended = await account.waitFor((e) => e.type === 'connection.changed' && (e.state.status === 'failed' || e.state.status === 'reconnecting'), 30_000);
  const state = (ended as Extract<typeof ended, { type: 'connection.changed' }>).state;
  await account.service.logout();
  await server.settled();
  return { state, sent: () => server!.received() };
}

async function openStream(c: HostileConn): Promise<void> {
  await c.readUntil(/<stream:stream[^>]*>/);
}

describe('hostile server', () => {
  it('refuses a DOCTYPE with a billion-laughs entity bomb without expanding it', async () => {
    const heapBefore = process.memoryUsage().heapUsed;
    const bomb =
      `<?xml version='1.0'?><!DOCTYPE lolz [<!ENTITY lol "lol">` +
      Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i || ''};`.repeat(10)}">`).join('') +
      `]><stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' version='1.0'><message><body>&lol9;</body></message>`;
    const { state } = await run(async (c) => {
      await openStream(c);
      c.write(bomb);
      await c.waitClosed(10_000);
    });
    // A protocol error is not fixed by retrying at once, but it is not the user's fault either:
    // the account backs off ('reconnecting') or stops ('failed') — never crashes, never expands.
    expect(['failed', 'reconnecting']).toContain(state.status);
    expect(state.error?.message).toMatch(/restricted|not-well-formed|refuses/i);
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(50 * 1024 * 1024);
  });

  it.each([
    ['a comment', `${HEADER}<!-- hello -->`],
    ['a processing instruction', `${HEADER}<?evil data?>`],
    ['an undeclared entity', `${HEADER}<message><body>&nbsp;</body></message>`],
    ['malformed XML', `${HEADER}<message><body></message>`],
  ])('closes the stream on %s (RFC 6120 §11)', async (_what, data) => {
    await run(async (c) => {
      await openStream(c);
      c.write(data);
      await c.readUntil('</stream:stream>', 10_000);
    });
    const s = (await account!.waitFor((e) => e.type === 'connection.changed' && !!e.state.error)) as { state: { error?: { code: string } } };
    expect(s.state.error?.code).toMatch(/protocol|policy-violation/);
    expect(server!.received()).toMatch(/<stream:error><(restricted-xml|not-well-formed|bad-format)/);
  });

  it('cuts off a 100 MB stanza early with policy-violation, bounded memory', async () => {
    let written = 0;
    const heapBefore = process.memoryUsage().heapUsed;
    await run(async (c) => {
      await openStream(c);
      c.write(`${HEADER}<message from='a@example.test'><body>`);
      const chunk = 'x'.repeat(1024 * 1024);
      for (let i = 0; i < 100; i++) {
        c.write(chunk);
        written += chunk.length;
        await new Promise((r) => setImmediate(r));
      }
      c.write('</body></message>');
      await c.waitClosed(20_000);
    });
    const s = (await account!.waitFor((e) => e.type === 'connection.changed' && !!e.state.error)) as { state: { error?: { code: string } } };
    expect(s.state.error?.code).toBe('policy-violation');
    expect(server!.received()).toContain('<policy-violation');
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(80 * 1024 * 1024);
    expect(written).toBeGreaterThan(0);
  });

  it('sends no credentials when the server drops STARTTLS from its features', async () => {
    const { state, sent } = await run(async (c) => {
      await openStream(c);
      c.write(`${HEADER}<stream:features><mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><mechanism>PLAIN</mechanism><mechanism>SCRAM-SHA-1</mechanism></mechanisms></stream:features>`);
      await c.waitClosed(10_000);
    });
    expect(state.status).toBe('failed');
    expect(state.error?.code).toBe('no-tls');
    expect(sent()).not.toContain('<auth');
    expect(sent()).not.toContain(Buffer.from('secret-password').toString('base64').slice(0, 12));
  });

  it('stops when the server cannot prove it knows the password (bad SCRAM signature)', async () => {
    const { state } = await run(async (c) => {
      await openStream(c);
      c.write(HEADER + SCRAM_ONLY);
      const auth = await c.readUntil('</auth>');
      const clientFirst = Buffer.from(/>([^<]+)<\/auth>/.exec(auth)![1]!, 'base64').toString();
      const nonce = /r=([^,]+)/.exec(clientFirst)![1]!;
      const serverFirst = `r=${nonce}XYZ,s=${Buffer.from('saltsaltsalt').toString('base64')},i=4096`;
      c.write(`<challenge xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>${Buffer.from(serverFirst).toString('base64')}</challenge>`);
      await c.readUntil('</response>');
      c.write(`<success xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>${Buffer.from(`v=${Buffer.alloc(20, 1).toString('base64')}`).toString('base64')}</success>`);
      await c.waitClosed(10_000);
    }, 'plaintext');
    expect(state.status).toBe('failed');
    expect(state.error?.code).toBe('server-signature');
    // and it did not go on to bind a resource with an unverified server
    expect(server!.received()).not.toContain('urn:ietf:params:xml:ns:xmpp-bind');
  });
});

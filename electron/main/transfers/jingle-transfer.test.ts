// The sender's ending over SOCKS5: the receiver's <success/> can reach us before our socket has
// seen its close (the CI failure where a delivered file was then offered again by another method).
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { JingleAction, JingleApi, JingleListener } from '../../core/modules/xep0234-jingle-ft';
import { sendOverSocket } from './bytestreams';
import { JingleChannel } from './jingle-channel';
import { sendEndings } from './jingle-transfer';
import { socketPair } from './testing/socket-pair';

/** A JingleChannel fed by hand: `peer` delivers the peer's actions as the Jingle module would. */
function channel(): { ch: JingleChannel; peer: (a: Omit<JingleAction, 'sid' | 'contents'>) => void } {
  let listener: JingleListener | undefined;
  const api = { listen: (_sid: string, l: JingleListener) => ((listener = l), () => (listener = undefined)) } as unknown as JingleApi;
  const ch = new JingleChannel(api, 's1');
  return { ch, peer: (a) => listener!({ sid: 's1', contents: [], ...a }) };
}

/** The flow's signal as withFlow builds it: aborted by the peer's terminate. */
function flowSignal(ch: JingleChannel): AbortController {
  const ac = new AbortController();
  ch.onTerminated((e) => ac.abort(e));
  return ac;
}

/** Reads n bytes from the socket, keeping it open. */
function readAll(socket: net.Socket, n: number): Promise<Buffer> {
  const parts: Buffer[] = [];
  let got = 0;
  return new Promise((resolve) => {
    socket.on('data', (b: Buffer) => {
      parts.push(b);
      got += b.length;
      if (got >= n) resolve(Buffer.concat(parts));
    });
    socket.resume();
  });
}

const sha = (b: Buffer) => createHash('sha256').update(b).digest('base64');
const success = { action: 'session-terminate', reason: { condition: 'success' } } as const;

describe('sendEndings (Jingle sender over SOCKS5)', () => {
  let dir = '';
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** A file of `size` random bytes sent over a socket pair as sendByJingle sends it, ended through sendEndings. */
  async function sending(size: number) {
    const data = randomBytes(size);
    dir = mkdtempSync(path.join(tmpdir(), 'flint-jt-'));
    const src = path.join(dir, 'src.bin');
    writeFileSync(src, data);
    const [a, receiver] = await socketPair();
    const { ch, peer } = channel();
    const flow = flowSignal(ch);
    const ending = sendEndings(flow.signal, ch);
    const sent = sendOverSocket(a, src, size, { signal: ending.signal, progress: () => undefined, idleTimeoutMs: 5000 }, { confirmed: ending.confirmed });
    return { data, receiver, ch, peer, flow, sent };
  }

  it('finishes the send when the receiver says <success/> before its close reaches us, or never closes', async () => {
    const { data, receiver, ch, peer, flow, sent } = await sending(2 * 1024 * 1024 + 3);
    expect((await readAll(receiver, data.length)).equals(data)).toBe(true);
    // The verdict, and the receiver's socket left open (the CI run had the close come later).
    peer(success);
    expect(flow.signal.aborted).toBe(true);
    await expect(sent).resolves.toBe(sha(data));
    // The sender's next step: the wait for the verdict sees the success already in.
    await expect(ch.wait((x) => x.action === 'session-terminate' && x.reason?.condition === 'success', 1000, flow.signal, 'confirmation')).resolves.toMatchObject({ action: 'session-terminate' });
    receiver.destroy();
  });

  it('a <success/> that comes while bytes are still to send waits for them', async () => {
    const { data, receiver, peer, sent } = await sending(6 * 1024 * 1024);
    peer(success);
    expect((await readAll(receiver, data.length)).equals(data)).toBe(true);
    await expect(sent).resolves.toBe(sha(data));
    receiver.destroy();
  });

  it('still fails a send the receiver closes short, even after a <success/>', async () => {
    const { receiver, peer, sent } = await sending(4 * 1024 * 1024);
    peer(success);
    receiver.destroy();
    await expect(sent).rejects.toMatchObject({ code: 'cancelled-by-peer' });
  });

  it('stops the send at once on any other ending, and on the user\'s cancel', async () => {
    const { ch, peer } = channel();
    const ending = sendEndings(flowSignal(ch).signal, ch);
    peer({ action: 'session-terminate', reason: { condition: 'media-error', text: 'hash mismatch' } });
    expect(ending.signal.reason).toMatchObject({ code: 'hash-mismatch' });
    expect(ending.confirmed.aborted).toBe(false);

    const user = new AbortController();
    const cancelled = sendEndings(user.signal, channel().ch);
    user.abort(new Error('cancelled by you'));
    expect(cancelled.signal.reason).toMatchObject({ message: 'cancelled by you' });
    expect(cancelled.confirmed.aborted).toBe(false);
    // Already aborted when asked for: passed on at once.
    expect(sendEndings(user.signal, channel().ch).signal.aborted).toBe(true);
  });
});

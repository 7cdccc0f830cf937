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
import { exceptSuccess } from './jingle-transfer';
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

describe('exceptSuccess (Jingle sender over SOCKS5)', () => {
  let dir = '';
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const file = (data: Buffer) => {
    dir = mkdtempSync(path.join(tmpdir(), 'flint-jt-'));
    const src = path.join(dir, 'src.bin');
    writeFileSync(src, data);
    return src;
  };

  it('finishes the send when the receiver says <success/> before its close reaches us', async () => {
    const data = randomBytes(2 * 1024 * 1024 + 3);
    const src = file(data);
    const [a, b] = await socketPair();
    const { ch, peer } = channel();
    const flow = flowSignal(ch);
    const received = readAll(b, data.length);
    const sending = sendOverSocket(a, src, data.length, { signal: exceptSuccess(flow.signal, ch), progress: () => undefined, idleTimeoutMs: 5000 });
    expect((await received).equals(data)).toBe(true);
    // The verdict first, the close later: the order the CI run had.
    peer({ action: 'session-terminate', reason: { condition: 'success' } });
    expect(flow.signal.aborted).toBe(true);
    b.end();
    await expect(sending).resolves.toBe(createHash('sha256').update(data).digest('base64'));
    // The sender's next step: the wait for the verdict sees the success already in.
    await expect(ch.wait((x) => x.action === 'session-terminate' && x.reason?.condition === 'success', 1000, flow.signal, 'confirmation')).resolves.toMatchObject({ action: 'session-terminate' });
  });

  it('still fails a send the receiver closes short, even after a <success/>', async () => {
    const data = randomBytes(4 * 1024 * 1024);
    const src = file(data);
    const [a, b] = await socketPair();
    const { ch, peer } = channel();
    const flow = flowSignal(ch);
    const sending = sendOverSocket(a, src, data.length, { signal: exceptSuccess(flow.signal, ch), progress: () => undefined, idleTimeoutMs: 5000 });
    peer({ action: 'session-terminate', reason: { condition: 'success' } });
    b.destroy();
    await expect(sending).rejects.toMatchObject({ code: 'cancelled-by-peer' });
  });

  it('stops the send at once on any other ending, and on the user\'s cancel', async () => {
    const { ch, peer } = channel();
    const flow = flowSignal(ch);
    const signal = exceptSuccess(flow.signal, ch);
    peer({ action: 'session-terminate', reason: { condition: 'media-error', text: 'hash mismatch' } });
    expect(signal.aborted).toBe(true);
    expect(signal.reason).toMatchObject({ code: 'hash-mismatch' });

    const user = new AbortController();
    const cancelled = exceptSuccess(user.signal, channel().ch);
    user.abort(new Error('cancelled by you'));
    expect(cancelled.reason).toMatchObject({ message: 'cancelled by you' });
    // Already aborted when asked for: passed on at once.
    expect(exceptSuccess(user.signal, channel().ch).aborted).toBe(true);
  });
});

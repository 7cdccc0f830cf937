import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { socks5Connect, Socks5Server } from './socks5';

const HASH = 'a'.repeat(40);
const read = (s: net.Socket, n: number) =>
  new Promise<Buffer>((resolve, reject) => {
    let got = Buffer.alloc(0);
    const on = (c: Buffer) => {
      got = Buffer.concat([got, c]);
      if (got.length >= n) {
        s.off('data', on);
        resolve(got);
      }
    };
    s.on('data', on);
    s.once('error', reject);
    s.resume();
  });

describe('SOCKS5 for XEP-0065', () => {
  let server: Socks5Server;
  afterEach(async () => server?.close());

  it('connects a client presenting an expected DST.ADDR; bytes sent right after the reply are not lost', async () => {
    server = new Socks5Server();
    await server.listen(['127.0.0.1']);
    const { port } = server.endpoints[0]!;
    const waiting = server.expect(HASH, 5000);
    const clientP = socks5Connect({ host: '127.0.0.1', port, dstAddr: HASH });
    const serverSide = await waiting.socket;
    serverSide.write('hello'); // may arrive in the same segment as the SOCKS5 reply
    const client = await clientP;
    expect((await read(client, 5)).toString()).toBe('hello');
    client.write('world');
    expect((await read(serverSide, 5)).toString()).toBe('world');
    client.destroy();
    serverSide.destroy();
  });

  it('refuses a hash nobody waits for, and each hash only once', async () => {
    server = new Socks5Server();
    await server.listen(['127.0.0.1']);
    const { port } = server.endpoints[0]!;
    await expect(socks5Connect({ host: '127.0.0.1', port, dstAddr: 'b'.repeat(40) })).rejects.toThrow(/refused the connection \(reply 2\)/);
    const w = server.expect(HASH, 5000);
    const c1 = await socks5Connect({ host: '127.0.0.1', port, dstAddr: HASH });
    await w.socket;
    await expect(socks5Connect({ host: '127.0.0.1', port, dstAddr: HASH })).rejects.toThrow(/refused/);
    c1.destroy();
  });

  it('gives up on a peer that never connects, and on a server that never answers', async () => {
    server = new Socks5Server();
    await server.listen(['127.0.0.1']);
    await expect(server.expect(HASH, 50).socket).rejects.toMatchObject({ code: 'timeout' });
    const held: net.Socket[] = [];
    const silent = net.createServer((c) => void held.push(c));
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()));
    const port = (silent.address() as net.AddressInfo).port;
    await expect(socks5Connect({ host: '127.0.0.1', port, dstAddr: HASH, timeoutMs: 100 })).rejects.toMatchObject({ code: 'timeout' });
    for (const c of held) c.destroy();
    await new Promise((r) => silent.close(r));
  });

  it('drops a client that wants authentication or sends garbage', async () => {
    server = new Socks5Server(500);
    await server.listen(['127.0.0.1']);
    const { port } = server.endpoints[0]!;
    const s = net.connect(port, '127.0.0.1');
    await new Promise((r) => s.once('connect', r));
    s.write(Buffer.from([5, 1, 2])); // username/password only
    expect([...(await read(s, 2))]).toEqual([5, 0xff]);
    await new Promise((r) => s.once('close', r));
    const g = net.connect(port, '127.0.0.1');
    await new Promise((r) => g.once('connect', r));
    g.write('GET / HTTP/1.0\r\n\r\n');
    await new Promise((r) => g.once('close', r));
  });
});

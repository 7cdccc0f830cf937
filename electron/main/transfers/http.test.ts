import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileSink } from './file-sink';
import { checkUrl, httpGet, httpPut } from './http';

describe('HTTP PUT/GET for XEP-0363', () => {
  let server: http.Server;
  let base = '';
  let dir = '';
  const seen: { method?: string; headers: http.IncomingHttpHeaders; body: Buffer }[] = [];
  let handler: (req: http.IncomingMessage, res: http.ServerResponse, body: Buffer) => void;

  beforeEach(async () => {
    seen.length = 0;
    dir = mkdtempSync(path.join(tmpdir(), 'flint-http-'));
    server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('error', () => undefined); // a client that gives up mid-body
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks);
        seen.push({ method: req.method, headers: req.headers, body });
        handler(req, res, body);
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterEach(async () => {
    await new Promise((r) => server.close(r));
    rmSync(dir, { recursive: true, force: true });
  });

  it('PUTs the file with only the allowed slot headers and reports progress and the SHA-256', async () => {
    handler = (_q, res) => res.writeHead(201).end();
    const data = randomBytes(2 * 1024 * 1024 + 1);
    const file = path.join(dir, 'up.bin');
    writeFileSync(file, data);
    const progress: number[] = [];
    const res = await httpPut({
      url: `${base}/put`,
      allowHttp: true,
      headers: [
        { name: 'Authorization', value: 'Basic abc\r\nX-Injected: 1' },
        { name: 'Cookie', value: 'k=v' },
        { name: 'Host' as 'Cookie', value: 'evil' },
      ],
      filePath: file,
      size: data.length,
      contentType: 'image/png',
      onProgress: (b) => progress.push(b),
    });
    expect(res.sha256).toBe(createHash('sha256').update(data).digest('base64'));
    const req = seen[0]!;
    expect(req.method).toBe('PUT');
    expect(req.body.equals(data)).toBe(true);
    expect(req.headers.authorization).toBe('Basic abcX-Injected: 1');
    expect(req.headers['x-injected']).toBeUndefined();
    expect(req.headers.cookie).toBe('k=v');
    expect(req.headers.host).toBe(base.slice('http://'.length));
    expect(req.headers['content-type']).toBe('image/png');
    expect(req.headers['content-length']).toBe(String(data.length));
    expect(progress.at(-1)).toBe(data.length);
  });

  it('PUTs a file bigger than its slots hold at once, and an empty file, with the right SHA-256 each', async () => {
    handler = (_q, res) => res.writeHead(201).end();
    const data = randomBytes(5 * 1024 * 1024 + 7); // more than the pool's slots at once
    const file = path.join(dir, 'big.bin');
    writeFileSync(file, data);
    const big = await httpPut({ url: `${base}/put`, allowHttp: true, headers: [], filePath: file, size: data.length });
    expect(big.sha256).toBe(createHash('sha256').update(data).digest('base64'));
    expect(seen[0]!.body.equals(data)).toBe(true);
    const empty = path.join(dir, 'empty');
    writeFileSync(empty, '');
    const res = await httpPut({ url: `${base}/put`, allowHttp: true, headers: [], filePath: empty, size: 0 });
    expect(res.sha256).toBe(createHash('sha256').digest('base64'));
    expect(seen[1]!.body.length).toBe(0);
  });

  it('fails an upload whose file is shorter or longer than the size announced for the slot', async () => {
    handler = (_q, res) => res.writeHead(201).end();
    const data = randomBytes(1024 * 1024 + 3);
    const file = path.join(dir, 'changed.bin');
    writeFileSync(file, data);
    const put = (size: number) => httpPut({ url: `${base}/put`, allowHttp: true, headers: [], filePath: file, size });
    await expect(put(data.length + 1)).rejects.toMatchObject({ code: 'file-error', message: 'the file changed while it was being sent' });
    // The server got all the bytes the slot was for, and accepted them; the file had more.
    await expect(put(data.length - 1)).rejects.toMatchObject({ code: 'file-error', message: 'the file changed while it was being sent' });
  });

  it('reports the server refusing the upload', async () => {
    handler = (_q, res) => res.writeHead(413).end();
    const file = path.join(dir, 'x');
    writeFileSync(file, 'abc');
    await expect(httpPut({ url: `${base}/put`, allowHttp: true, headers: [], filePath: file, size: 3 })).rejects.toMatchObject({ code: 'too-large' });
  });

  it('refuses plain http unless allowed, and URLs with credentials', () => {
    expect(() => checkUrl('http://example.org/x', {})).toThrow(/only https/);
    expect(() => checkUrl('https://u:p@example.org/x', {})).toThrow(/credentials/);
    expect(() => checkUrl('file:///etc/passwd', { allowHttp: true })).toThrow(/only https/);
    expect(checkUrl('https://example.org/x', {}).href).toBe('https://example.org/x');
  });

  it('GETs into a sink following a redirect, and cuts off a body longer than announced', async () => {
    const data = randomBytes(100_000);
    handler = (req, res) => {
      if (req.url === '/moved') return res.writeHead(302, { location: '/file' }).end();
      if (req.url === '/file') return res.writeHead(200, { 'content-length': String(data.length) }).end(data);
      // No Content-Length, more than announced: chunked.
      res.writeHead(200);
      res.write(data);
      res.end(data);
    };
    const ok = await FileSink.open({ folder: dir, name: 'got.bin', expectedSize: data.length, maxSize: 1e9 });
    await httpGet({ url: `${base}/moved`, allowHttp: true, sink: ok });
    expect(readFileSync((await ok.finish()).path).equals(data)).toBe(true);

    const lied = await FileSink.open({ folder: dir, name: 'lie.bin', expectedSize: data.length, maxSize: 1e9 });
    await expect(httpGet({ url: `${base}/chunked`, allowHttp: true, sink: lied })).rejects.toMatchObject({ code: 'size-mismatch' });
    await lied.abort();

    const early = await FileSink.open({ folder: dir, name: 'early.bin', expectedSize: 10, maxSize: 1e9 });
    await expect(httpGet({ url: `${base}/file`, allowHttp: true, sink: early })).rejects.toMatchObject({ code: 'size-mismatch' });
    await early.abort();
    expect(readdirSync(dir).sort()).toEqual(['got.bin']);
  });
});

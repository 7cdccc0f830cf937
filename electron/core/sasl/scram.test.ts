import { createHash, createHmac, pbkdf2Sync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { nodeCrypto } from '../../main/crypto';
import type { CryptoPort } from '../ports';
import { type ScramClientOptions, ScramError, createScramClient, escapeSaslName, gs2Header } from './scram';

const sha1Example = {
  // RFC 5802 §5
  nonce: 'fyko+d2lbbFgONRv9qkxdawL',
  serverFirst: 'r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=QSXCR+Q6sek8bf92,i=4096',
  clientFinal: 'c=biws,r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,p=v0X8v3Bz2T0CJGbJQyF0X+HI4Ts=',
  serverFinal: 'v=rmF9pqV8S7suAoZWja4dJRkFsKQ=',
};
const sha256Example = {
  // RFC 7677 §3
  nonce: 'rOprNGfwEbeRWgbNEkqO',
  serverFirst: 'r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096',
  clientFinal: 'c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=',
  serverFinal: 'v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=',
};

function client(over: Partial<ScramClientOptions> = {}) {
  return createScramClient({ hash: 'sha1', username: 'user', password: 'pencil', crypto: nodeCrypto, nonce: sha1Example.nonce, ...over });
}

/** An independent SCRAM computation straight from RFC 5802 §3, for cases without a published vector. */
function reference(hash: 'sha1' | 'sha256', password: string, saltB64: string, i: number, authMessage: string) {
  const salted = pbkdf2Sync(password, Buffer.from(saltB64, 'base64'), i, hash === 'sha1' ? 20 : 32, hash);
  const clientKey = createHmac(hash, salted).update('Client Key').digest();
  const storedKey = createHash(hash).update(clientKey).digest();
  const clientSig = createHmac(hash, storedKey).update(authMessage).digest();
  const proof = Buffer.from(clientKey.map((b, k) => b ^ (clientSig[k] as number)));
  const serverKey = createHmac(hash, salted).update('Server Key').digest();
  return { proof: proof.toString('base64'), serverSignature: createHmac(hash, serverKey).update(authMessage).digest('base64') };
}

describe('SCRAM published vectors', () => {
  it('RFC 5802 §5 SCRAM-SHA-1', () => {
    const c = client();
    expect(c.mechanism).toBe('SCRAM-SHA-1');
    expect(c.initial()).toBe('n,,n=user,r=fyko+d2lbbFgONRv9qkxdawL');
    expect(c.challenge(sha1Example.serverFirst)).toBe(sha1Example.clientFinal);
    expect(() => c.verify(sha1Example.serverFinal)).not.toThrow();
    expect(c.iterations).toBe(4096);
    expect(c.weakIterationCount).toBe(false);
  });

  it('RFC 7677 §3 SCRAM-SHA-256', () => {
    const c = client({ hash: 'sha256', nonce: sha256Example.nonce });
    expect(c.mechanism).toBe('SCRAM-SHA-256');
    expect(c.initial()).toBe('n,,n=user,r=rOprNGfwEbeRWgbNEkqO');
    expect(c.challenge(sha256Example.serverFirst)).toBe(sha256Example.clientFinal);
    expect(() => c.verify(sha256Example.serverFinal)).not.toThrow();
  });
});

describe('SCRAM server checks', () => {
  it('throws on a wrong server signature', () => {
    const c = client();
    c.initial();
    c.challenge(sha1Example.serverFirst);
    // The published signature with its last bits changed.
    expect(catchError(() => c.verify('v=rmF9pqV8S7suAoZWja4dJRkFsKA=')).code).toBe('server-signature');
    const d = client();
    d.initial();
    d.challenge(sha1Example.serverFirst);
    expect(catchError(() => d.verify(sha256Example.serverFinal)).code).toBe('server-signature');
    const e = client();
    e.initial();
    e.challenge(sha1Example.serverFirst);
    expect(catchError(() => e.verify('v=rmF9pqV8S7suAoZWja4dJRkFsKR=')).code).toBe('malformed'); // non-canonical base64
  });

  it('throws when the server nonce does not extend ours', () => {
    const c = client();
    c.initial();
    const err = catchError(() => c.challenge('r=XXXX+d2lbbFgONRv9qkxdawL3rfc,s=QSXCR+Q6sek8bf92,i=4096'));
    expect(err.code).toBe('nonce');
    const d = client();
    d.initial();
    // Our nonce alone, with nothing added by the server, is not acceptable either.
    expect(catchError(() => d.challenge('r=fyko+d2lbbFgONRv9qkxdawL,s=QSXCR+Q6sek8bf92,i=4096')).code).toBe('nonce');
  });

  it('throws with the server\'s reason on e=', () => {
    const c = client();
    c.initial();
    c.challenge(sha1Example.serverFirst);
    const err = catchError(() => c.verify('e=invalid-proof'));
    expect(err.code).toBe('server-error');
    expect(err.serverError).toBe('invalid-proof');
    expect(err.message).toContain('invalid-proof');
  });

  it.each([
    ['missing salt', 'r=fyko+d2lbbFgONRv9qkxdawL3rfc,i=4096'],
    ['attributes out of order', 's=QSXCR+Q6sek8bf92,r=fyko+d2lbbFgONRv9qkxdawL3rfc,i=4096'],
    ['salt not base64', 'r=fyko+d2lbbFgONRv9qkxdawL3rfc,s=QSXCR*Q6sek8bf92,i=4096'],
    ['empty salt', 'r=fyko+d2lbbFgONRv9qkxdawL3rfc,s=,i=4096'],
    ['iteration count 0', 'r=fyko+d2lbbFgONRv9qkxdawL3rfc,s=QSXCR+Q6sek8bf92,i=0'],
    ['iteration count with a sign', 'r=fyko+d2lbbFgONRv9qkxdawL3rfc,s=QSXCR+Q6sek8bf92,i=-1'],
    ['iteration count not a number', 'r=fyko+d2lbbFgONRv9qkxdawL3rfc,s=QSXCR+Q6sek8bf92,i=4k'],
    ['mandatory extension', 'm=ext,r=fyko+d2lbbFgONRv9qkxdawL3rfc,s=QSXCR+Q6sek8bf92,i=4096'],
    ['garbage', 'hello'],
    ['non-printable nonce', 'r=fyko+d2lbbFgONRv9qkxdawL3r\u00e9,s=QSXCR+Q6sek8bf92,i=4096'],
  ])('rejects a server-first-message with %s', (_why, serverFirst) => {
    const c = client();
    c.initial();
    expect(() => c.challenge(serverFirst)).toThrow(ScramError);
  });

  it('accepts extensions after the iteration count', () => {
    const c = client();
    c.initial();
    const serverFirst = `${sha1Example.serverFirst},x=unknown`;
    const final = c.challenge(serverFirst);
    const authMessage = `n=user,r=${sha1Example.nonce},${serverFirst},c=biws,r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j`;
    const ref = reference('sha1', 'pencil', 'QSXCR+Q6sek8bf92', 4096, authMessage);
    expect(final).toBe(`c=biws,r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,p=${ref.proof}`);
    expect(() => c.verify(`v=${ref.serverSignature}`)).not.toThrow();
  });

  it('accepts a low iteration count but flags it; refuses one above the limit', () => {
    const c = client();
    c.initial();
    c.challenge('r=fyko+d2lbbFgONRv9qkxdawL3rfc,s=QSXCR+Q6sek8bf92,i=1');
    expect(c.iterations).toBe(1);
    expect(c.weakIterationCount).toBe(true);
    const d = client({ maxIterations: 10_000 });
    d.initial();
    expect(catchError(() => d.challenge('r=fyko+d2lbbFgONRv9qkxdawL3rfc,s=QSXCR+Q6sek8bf92,i=10001')).code).toBe('iterations');
    const e = client();
    e.initial();
    expect(catchError(() => e.challenge('r=fyko+d2lbbFgONRv9qkxdawL3rfc,s=QSXCR+Q6sek8bf92,i=2147483648')).code).toBe('iterations');
  });

  it('rejects calls out of order', () => {
    const c = client();
    expect(() => c.challenge(sha1Example.serverFirst)).toThrow(ScramError);
    c.initial();
    expect(() => c.initial()).toThrow(ScramError);
    expect(() => c.verify(sha1Example.serverFinal)).toThrow(ScramError);
  });

  it('rejects a malformed server-final-message', () => {
    const c = client();
    c.initial();
    c.challenge(sha1Example.serverFirst);
    expect(catchError(() => c.verify('x=1')).code).toBe('malformed');
  });
});

describe('SCRAM channel binding', () => {
  const cbData = new Uint8Array([0xde, 0xad, 0xbe, 0xef, 0x00, 0x01, 0x02]);

  it('builds the GS2 header for each mode', () => {
    expect(gs2Header(undefined)).toBe('n,,');
    expect(gs2Header('client-supports')).toBe('y,,');
    expect(gs2Header({ type: 'tls-exporter', data: cbData })).toBe('p=tls-exporter,,');
  });

  it.each(['tls-exporter', 'tls-server-end-point', 'tls-unique'] as const)('-PLUS with %s: c= is base64(gs2-header + cb-data) and is signed', (type) => {
    const c = client({ hash: 'sha256', nonce: sha256Example.nonce, channelBinding: { type, data: cbData } });
    expect(c.mechanism).toBe('SCRAM-SHA-256-PLUS');
    const first = c.initial();
    expect(first).toBe(`p=${type},,n=user,r=rOprNGfwEbeRWgbNEkqO`);
    const final = c.challenge(sha256Example.serverFirst);
    const expectedC = Buffer.concat([Buffer.from(`p=${type},,`), Buffer.from(cbData)]).toString('base64');
    expect(final.startsWith(`c=${expectedC},r=`)).toBe(true);
    const withoutProof = final.slice(0, final.indexOf(',p='));
    const ref = reference('sha256', 'pencil', 'W22ZaJ0SNY7soEsUEjb6gQ==', 4096, `n=user,r=${sha256Example.nonce},${sha256Example.serverFirst},${withoutProof}`);
    expect(final).toBe(`${withoutProof},p=${ref.proof}`);
    expect(() => c.verify(`v=${ref.serverSignature}`)).not.toThrow();
    // The published (unbound) signature must not verify: the binding changed AuthMessage.
    const d = client({ hash: 'sha256', nonce: sha256Example.nonce, channelBinding: { type, data: cbData } });
    d.initial();
    d.challenge(sha256Example.serverFirst);
    expect(() => d.verify(sha256Example.serverFinal)).toThrow(ScramError);
  });

  it('sends y,, and c=eSws when the client supports binding but the server offered no -PLUS', () => {
    const c = client({ channelBinding: 'client-supports' });
    expect(c.mechanism).toBe('SCRAM-SHA-1');
    expect(c.initial()).toBe('y,,n=user,r=fyko+d2lbbFgONRv9qkxdawL');
    expect(c.challenge(sha1Example.serverFirst).startsWith('c=eSws,r=')).toBe(true);
  });
});

describe('SCRAM user names and passwords', () => {
  it('escapes "=" and "," in the user name (RFC 5802 §5.1)', () => {
    expect(escapeSaslName('a=b,c')).toBe('a=3Db=2Cc');
    expect(client({ username: 'jul=iet,x' }).initial()).toBe('n,,n=jul=3Diet=2Cx,r=fyko+d2lbbFgONRv9qkxdawL');
  });

  it('SASLprep\'s the user name and password', () => {
    expect(client({ username: 'I\u00adX' }).initial()).toBe('n,,n=IX,r=fyko+d2lbbFgONRv9qkxdawL');
    // "pen\u00adcil" prepares to "pencil", so the RFC 5802 vector still holds.
    const c = client({ password: 'pen\u00adcil' });
    c.initial();
    expect(c.challenge(sha1Example.serverFirst)).toBe(sha1Example.clientFinal);
    // Width/compatibility forms are NFKC-normalized: fullwidth "ｐｅｎｃｉｌ" is "pencil".
    const d = client({ password: '\uff50\uff45\uff4e\uff43\uff49\uff4c' });
    d.initial();
    expect(d.challenge(sha1Example.serverFirst)).toBe(sha1Example.clientFinal);
  });

  it('refuses prohibited or empty credentials before sending anything', () => {
    expect(catchError(() => client({ password: 'pen\u0007cil' })).code).toBe('saslprep');
    expect(catchError(() => client({ username: '\u00ad' })).code).toBe('saslprep');
    expect(catchError(() => client({ password: '' })).code).toBe('saslprep');
  });

  it('generates a random printable nonce when none is given', () => {
    const a = createScramClient({ hash: 'sha1', username: 'user', password: 'pencil', crypto: nodeCrypto }).initial();
    const b = createScramClient({ hash: 'sha1', username: 'user', password: 'pencil', crypto: nodeCrypto }).initial();
    expect(a).toMatch(/^n,,n=user,r=[\x21-\x2b\x2d-\x7e]{24}$/);
    expect(a).not.toBe(b);
  });
});

describe('SCRAM key reuse', () => {
  it('skips PBKDF2 with matching cached keys and recomputes when the salt changes', () => {
    let pbkdf2Calls = 0;
    const counting: CryptoPort = { ...nodeCrypto, pbkdf2: (...args) => (pbkdf2Calls++, nodeCrypto.pbkdf2(...args)) };
    const first = client({ crypto: counting });
    first.initial();
    first.challenge(sha1Example.serverFirst);
    expect(pbkdf2Calls).toBe(1);
    const keys = first.keys;
    expect(keys).toMatchObject({ hash: 'sha1', salt: 'QSXCR+Q6sek8bf92', iterations: 4096 });

    const second = client({ crypto: counting, cachedKeys: keys, password: 'not-used-when-cached' });
    second.initial();
    expect(second.challenge(sha1Example.serverFirst)).toBe(sha1Example.clientFinal);
    expect(pbkdf2Calls).toBe(1);
    second.verify(sha1Example.serverFinal);

    const third = client({ crypto: counting, cachedKeys: keys });
    third.initial();
    third.challenge('r=fyko+d2lbbFgONRv9qkxdawL3rfc,s=AAAAAAAAAAAAAAAA,i=4096');
    expect(pbkdf2Calls).toBe(2);
  });
});

function catchError(f: () => unknown): ScramError {
  try {
    f();
  } catch (e) {
    if (e instanceof ScramError) return e;
    throw e;
  }
  throw new Error('expected a ScramError');
}

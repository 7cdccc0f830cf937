import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AccountStore } from './account-store';
import type { KeyStore } from './keystore';

const xorStore: KeyStore = {
  isAvailable: () => true,
  encrypt: (s) => new TextEncoder().encode(s).map((b) => b ^ 0x5a),
  decrypt: (b) => new TextDecoder().decode(b.map((x) => x ^ 0x5a)),
};

let dir = '';
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('AccountStore', () => {
  it('keeps settings and the last account, and never writes the password in plain text', () => {
    dir = mkdtempSync(join(tmpdir(), 'flint-store-'));
    const s = new AccountStore(dir, xorStore);
    s.save({ jid: 'a@example.test', tlsMode: 'starttls' });
    s.save({ jid: 'b@example.test', tlsMode: 'directtls', host: 'xmpp.example.test' });
    s.savePassword('b@example.test', 'hunter2-very-secret');
    expect(s.list().map((a) => a.jid)).toEqual(['a@example.test', 'b@example.test']);
    expect(s.last()?.jid).toBe('b@example.test');
    expect(s.loadPassword('b@example.test')).toBe('hunter2-very-secret');
    for (const f of readdirSync(dir)) expect(readFileSync(join(dir, f), 'latin1')).not.toContain('hunter2');
    s.forgetPassword('b@example.test');
    expect(s.loadPassword('b@example.test')).toBeUndefined();
  });

  it('refuses to remember a password without secure storage', () => {
    dir = mkdtempSync(join(tmpdir(), 'flint-store-'));
    const s = new AccountStore(dir, { ...xorStore, isAvailable: () => false });
    expect(() => s.savePassword('a@example.test', 'x')).toThrow(/secure storage/);
  });

  it('round-trips the roster cache with its version', () => {
    dir = mkdtempSync(join(tmpdir(), 'flint-store-'));
    const s = new AccountStore(dir, xorStore);
    s.saveRoster('a@example.test', 'v42', [{ jid: 'c@example.test', groups: ['G'], subscription: 'both' }]);
    expect(s.loadRoster('a@example.test')).toEqual({ ver: 'v42', items: [{ jid: 'c@example.test', groups: ['G'], subscription: 'both' }] });
    s.saveRoster('a@example.test', undefined, []);
    expect(s.loadRoster('a@example.test')).toBeUndefined();
  });
});

import { describe, expect, it } from 'vitest';
import { type ChooseMechanismInput, MECHANISM_ORDER, chooseMechanism, mechanismStrength, parseScramMechanism } from './mechanisms';

const ALL = ['PLAIN', 'SCRAM-SHA-1', 'SCRAM-SHA-256', 'SCRAM-SHA-1-PLUS', 'SCRAM-SHA-256-PLUS'];
const base: ChooseMechanismInput = { offered: ALL, tls: true, channelBindings: ['tls-exporter', 'tls-server-end-point'], allowPlain: true };
const choose = (over: Partial<ChooseMechanismInput>) => chooseMechanism({ ...base, ...over });

describe('mechanismStrength', () => {
  it('follows MECHANISM_ORDER, strongest first, unknown 0', () => {
    const strengths = MECHANISM_ORDER.map(mechanismStrength);
    expect(strengths).toEqual([...strengths].sort((a, b) => b - a));
    expect(new Set(strengths).size).toBe(MECHANISM_ORDER.length);
    expect(mechanismStrength('PLAIN')).toBeGreaterThan(0);
    expect(mechanismStrength('DIGEST-MD5')).toBe(0);
    expect(mechanismStrength('scram-sha-256-plus')).toBe(mechanismStrength('SCRAM-SHA-256-PLUS'));
  });

  it('parses SCRAM names', () => {
    expect(parseScramMechanism('SCRAM-SHA-256-PLUS')).toEqual({ hash: 'sha256', plus: true });
    expect(parseScramMechanism('SCRAM-SHA-1')).toEqual({ hash: 'sha1', plus: false });
    expect(parseScramMechanism('SCRAM-SHA-512')).toBeUndefined();
    expect(parseScramMechanism('PLAIN')).toBeUndefined();
  });
});

describe('chooseMechanism', () => {
  it('takes the strongest offered mechanism, whatever the server\'s order', () => {
    expect(choose({})).toEqual({ mechanism: 'SCRAM-SHA-256-PLUS', channelBinding: 'tls-exporter' });
    expect(choose({ offered: ['PLAIN', 'SCRAM-SHA-1', 'SCRAM-SHA-256'], channelBindings: [] })).toEqual({ mechanism: 'SCRAM-SHA-256' });
    expect(choose({ offered: ['SCRAM-SHA-1', 'PLAIN'], channelBindings: [] })).toEqual({ mechanism: 'SCRAM-SHA-1' });
    expect(choose({ offered: ['scram-sha-1 ', 'DIGEST-MD5'], channelBindings: [] })).toEqual({ mechanism: 'SCRAM-SHA-1' });
  });

  it('prefers tls-exporter, then tls-server-end-point, then tls-unique', () => {
    expect(choose({ channelBindings: ['tls-unique', 'tls-server-end-point'] })).toEqual({ mechanism: 'SCRAM-SHA-256-PLUS', channelBinding: 'tls-server-end-point' });
    expect(choose({ channelBindings: ['tls-unique'] })).toEqual({ mechanism: 'SCRAM-SHA-256-PLUS', channelBinding: 'tls-unique' });
  });

  it('uses -PLUS only with a binding type both sides have (XEP-0440 list when present)', () => {
    expect(choose({ serverChannelBindings: ['tls-server-end-point'] })).toEqual({ mechanism: 'SCRAM-SHA-256-PLUS', channelBinding: 'tls-server-end-point' });
    // Server offers -PLUS but only a type we cannot supply: plain SCRAM with "n" (not "y", which
    // would make a binding-capable server abort as if attacked).
    expect(choose({ serverChannelBindings: ['tls-unique'] })).toEqual({ mechanism: 'SCRAM-SHA-256' });
    // No binding data on this connection at all.
    expect(choose({ channelBindings: [] })).toEqual({ mechanism: 'SCRAM-SHA-256' });
    expect(choose({ channelBindings: ['made-up-type'] })).toEqual({ mechanism: 'SCRAM-SHA-256' });
  });

  it('sends the "y" flag when we could bind but the server offered no -PLUS', () => {
    expect(choose({ offered: ['SCRAM-SHA-1', 'SCRAM-SHA-256'] })).toEqual({ mechanism: 'SCRAM-SHA-256', channelBinding: 'client-supports' });
    expect(choose({ offered: ['PLAIN'] })).toEqual({ mechanism: 'PLAIN' });
  });

  it('never uses -PLUS or PLAIN without TLS', () => {
    expect(choose({ tls: false })).toEqual({ mechanism: 'SCRAM-SHA-256' });
    const r = choose({ tls: false, offered: ['PLAIN'] });
    expect(r).toMatchObject({ error: 'no-mechanism' });
    expect('text' in r && r.text).toMatch(/not encrypted/);
  });

  it('uses PLAIN only when allowed', () => {
    expect(choose({ offered: ['PLAIN'] })).toEqual({ mechanism: 'PLAIN' });
    const r = choose({ offered: ['PLAIN'], allowPlain: false });
    expect(r).toMatchObject({ error: 'no-mechanism' });
    expect('text' in r && r.text).toMatch(/turned off/);
  });

  it('explains when nothing fits', () => {
    expect(choose({ offered: [] })).toEqual({ error: 'no-mechanism', text: 'the server offered no SASL mechanisms' });
    expect(choose({ offered: ['DIGEST-MD5', 'X-OAUTH2'] })).toMatchObject({ error: 'no-mechanism', text: expect.stringContaining('DIGEST-MD5, X-OAUTH2') });
    expect(choose({ offered: ['SCRAM-SHA-256-PLUS'], channelBindings: [] })).toMatchObject({ error: 'no-mechanism', text: expect.stringContaining('channel binding') });
  });

  it('refuses a downgrade below what the account used before', () => {
    const r = choose({ offered: ['SCRAM-SHA-1', 'PLAIN'], minimumStrength: 'SCRAM-SHA-256' });
    expect(r).toEqual({ error: 'downgrade', text: 'possible downgrade attack: the server offered only SCRAM-SHA-1, PLAIN, this account used SCRAM-SHA-256 before' });
    expect(choose({ offered: ['PLAIN'], minimumStrength: 'SCRAM-SHA-1' })).toMatchObject({ error: 'downgrade' });
    // Stripping -PLUS is a downgrade too, and so is losing the binding data on our side.
    expect(choose({ offered: ['SCRAM-SHA-256'], minimumStrength: 'SCRAM-SHA-256-PLUS' })).toMatchObject({ error: 'downgrade' });
    expect(choose({ channelBindings: [], minimumStrength: 'SCRAM-SHA-256-PLUS' })).toMatchObject({ error: 'downgrade', text: expect.stringContaining('channel binding is not available') });
  });

  it('allows the same or a stronger mechanism than before', () => {
    expect(choose({ offered: ['SCRAM-SHA-1'], channelBindings: [], minimumStrength: 'SCRAM-SHA-1' })).toEqual({ mechanism: 'SCRAM-SHA-1' });
    expect(choose({ minimumStrength: 'PLAIN' })).toEqual({ mechanism: 'SCRAM-SHA-256-PLUS', channelBinding: 'tls-exporter' });
    // A mechanism we never implement sets no floor.
    expect(choose({ offered: ['PLAIN'], minimumStrength: 'X-UNKNOWN' })).toEqual({ mechanism: 'PLAIN' });
  });
});

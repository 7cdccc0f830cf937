// One SASL exchange (RFC 6120 §6): picks the mechanism, produces the base64 payloads of
// <auth/> and <response/>, and checks the server's final proof on <success/>.
import type { CryptoPort } from '../ports';
import { decodeBase64, encodeBase64 } from '../util/base64';
import { utf8Decode, utf8Encode } from '../util/text';
import { chooseMechanism } from './mechanisms';
import { plainInitialResponse } from './plain';
import { createScramClient, type ChannelBindingType, type ScramClient } from './scram';

export type { ChannelBindingType };

export type ChannelBindings = Partial<Record<ChannelBindingType, Uint8Array>>;

export interface SaslChoice {
  offered: string[];
  secure: boolean;
  tls?: { protocol: string; channelBindings: ChannelBindings };
  /** XEP-0440 list, when the server announced one. */
  serverChannelBindings?: string[];
  allowPlain: boolean;
  strongestMechanism?: string;
  username: string;
  password: string;
  crypto: CryptoPort;
}

export class SaslSession {
  private done = false;
  private constructor(
    readonly mechanism: string,
    private readonly first: string,
    private readonly scram?: ScramClient,
  ) {}

  static choose(c: SaslChoice): SaslSession | { error: string; text: string } {
    const pick = chooseMechanism({
      offered: c.offered,
      tls: c.secure,
      channelBindings: bindingsWeCanUse(c),
      serverChannelBindings: c.serverChannelBindings,
      allowPlain: c.allowPlain,
      minimumStrength: c.strongestMechanism,
    });
    if ('error' in pick) return { error: pick.error, text: pick.text };
    const mechanism = pick.mechanism;
    if (mechanism === 'PLAIN') return new SaslSession(mechanism, plainInitialResponse({ username: c.username, password: c.password }));
    const hash = mechanism.startsWith('SCRAM-SHA-256') ? 'sha256' : 'sha1';
    const cb = pick.channelBinding;
    const channelBinding = cb === undefined || cb === 'client-supports' ? cb : { type: cb, data: c.tls!.channelBindings[cb]! };
    const scram = createScramClient({ hash, username: c.username, password: c.password, crypto: c.crypto, channelBinding });
    return new SaslSession(mechanism, scram.initial(), scram);
  }

  /** Base64 payload of <auth/>. */
  initialResponse(): string {
    return encodeBase64(utf8Encode(this.first));
  }

  /** Answer a <challenge/> (base64 in, base64 out). */
  respond(challengeB64: string): string {
    if (!this.scram || this.done) throw new Error('unexpected SASL challenge');
    this.done = true;
    return encodeBase64(utf8Encode(this.scram.challenge(utf8Decode(decodeBase64(challengeB64)))));
  }

  /** <success/>: for SCRAM the additional data must carry a valid server signature. */
  success(dataB64: string): void {
    if (!this.scram) return;
    if (!this.done) throw new Error('success before the SCRAM exchange finished');
    if (!dataB64 || dataB64 === '=') throw new Error('no server signature in <success/>');
    this.scram.verify(utf8Decode(decodeBase64(dataB64)));
  }
}

/**
 * Channel-binding types to offer on this connection. With a XEP-0440 list we bind with the best
 * type the server names. Without one we cannot know which type a -PLUS offer means: servers of the
 * TLS 1.2 era (Prosody 0.12, ejabberd 23.01) implement only tls-unique, which does not exist in
 * TLS 1.3 — binding with tls-exporter there fails the login ("invalid channel binding"). So:
 * TLS 1.2 without a list → tls-unique; TLS 1.3 without a list → no binding (GS2 "n", never "y",
 * since the server did offer -PLUS and "y" would read as a downgrade attack).
 */
function bindingsWeCanUse(c: SaslChoice): ChannelBindingType[] {
  if (!c.secure || !c.tls) return [];
  // Read only the types that can be used: the shell may compute each binding when it is first read.
  const have = c.tls.channelBindings;
  const available = (t: ChannelBindingType) => (have[t]?.length ?? 0) > 0;
  if (c.serverChannelBindings?.length) return (['tls-exporter', 'tls-server-end-point', 'tls-unique'] as const).filter(available);
  if (c.tls.protocol === 'TLSv1.3') return [];
  return available('tls-unique') ? ['tls-unique'] : [];
}

// Which SASL mechanism to use (RFC 6120 §6.3.3: the client picks from the server's list), with
// channel-binding gating (RFC 5802 §6, XEP-0440) and a downgrade check against the strongest
// mechanism the account has used before (the server list travels before authentication, so an
// attacker in the path could strip the strong mechanisms; remembering what worked catches that).

import type { ChannelBindingType } from './scram';

export const MECHANISM_ORDER = ['SCRAM-SHA-256-PLUS', 'SCRAM-SHA-1-PLUS', 'SCRAM-SHA-256', 'SCRAM-SHA-1', 'PLAIN'] as const;
export type MechanismName = (typeof MECHANISM_ORDER)[number];

// Preference among binding types we can supply: tls-exporter (RFC 9266, TLS 1.3) binds to the
// whole session; tls-server-end-point (RFC 5929 §4) only to the certificate; tls-unique (RFC 5929
// §3) is unsafe without extended master secret and does not exist in TLS 1.3, so it comes last.
export const CHANNEL_BINDING_PREFERENCE: readonly ChannelBindingType[] = ['tls-exporter', 'tls-server-end-point', 'tls-unique'];

/** Higher is stronger; 0 for mechanisms this client does not implement. */
export function mechanismStrength(name: string): number {
  const i = (MECHANISM_ORDER as readonly string[]).indexOf(name.trim().toUpperCase());
  return i < 0 ? 0 : MECHANISM_ORDER.length - i;
}

/** "SCRAM-SHA-256-PLUS" → { hash: 'sha256', plus: true }; undefined when not a SCRAM we implement. */
export function parseScramMechanism(name: string): { hash: 'sha1' | 'sha256'; plus: boolean } | undefined {
  const m = /^SCRAM-SHA-(1|256)(-PLUS)?$/.exec(name.trim().toUpperCase());
  if (!m) return undefined;
  return { hash: m[1] === '1' ? 'sha1' : 'sha256', plus: m[2] !== undefined };
}

export interface ChooseMechanismInput {
  /** <mechanism/> names from the server's <mechanisms/> feature. */
  offered: string[];
  /** The stream is TLS-protected (STARTTLS done, or direct TLS). */
  tls: boolean;
  /**
   * Channel-binding types this connection can supply data for. The shell decides: tls-exporter
   * only on TLS 1.3 (RFC 9266 §3), tls-server-end-point when it has the server certificate,
   * tls-unique only on TLS ≤ 1.2 with the Finished message available.
   */
  channelBindings: string[];
  /**
   * The types of the server's XEP-0440 <sasl-channel-binding/> feature, when it sent one. When
   * absent, every type we can supply is assumed acceptable (RFC 9266 makes tls-exporter the TLS
   * 1.3 default; servers are expected to implement tls-server-end-point and tls-unique).
   */
  serverChannelBindings?: string[];
  /** Whether the account allows PLAIN at all (it is still used only over TLS). */
  allowPlain: boolean;
  /** The strongest mechanism this account has used successfully before (downgrade protection). */
  minimumStrength?: string;
}

export type MechanismChoice = {
  mechanism: MechanismName;
  /**
   * For SCRAM: the binding type to fetch data for (a -PLUS mechanism), or 'client-supports' when
   * we could bind but the server offered no -PLUS mechanism (GS2 flag "y"). Absent otherwise.
   */
  channelBinding?: ChannelBindingType | 'client-supports';
};
export type MechanismError = { error: 'no-mechanism' | 'downgrade'; text: string };

export function chooseMechanism(input: ChooseMechanismInput): MechanismChoice | MechanismError {
  const offered = input.offered.map((m) => m.trim().toUpperCase()).filter((m) => m !== '');
  const offeredSet = new Set(offered);

  const serverTypes = input.serverChannelBindings?.map((t) => t.trim().toLowerCase());
  const usableBinding = CHANNEL_BINDING_PREFERENCE.find(
    (t) => input.tls && input.channelBindings.includes(t) && (serverTypes === undefined || serverTypes.includes(t)),
  );
  const canBind = input.tls && CHANNEL_BINDING_PREFERENCE.some((t) => input.channelBindings.includes(t));
  const serverOffersPlus = offered.some((m) => m.endsWith('-PLUS'));

  const usable = (m: MechanismName): boolean => {
    if (!offeredSet.has(m)) return false;
    if (m.endsWith('-PLUS')) return usableBinding !== undefined;
    if (m === 'PLAIN') return input.tls && input.allowPlain;
    return true;
  };
  const best = MECHANISM_ORDER.find(usable);
  const offeredText = offered.length ? offered.join(', ') : 'nothing';

  if (best === undefined) return { error: 'no-mechanism', text: noMechanismText(offered, input) };

  const minimum = input.minimumStrength?.trim().toUpperCase();
  if (minimum !== undefined && mechanismStrength(best) < mechanismStrength(minimum)) {
    const text = offeredSet.has(minimum)
      ? `possible downgrade attack: this account used ${minimum} before, but ${minimum.endsWith('-PLUS') ? 'channel binding' : 'it'} is not available on this connection (the server offered ${offeredText})`
      : `possible downgrade attack: the server offered only ${offeredText}, this account used ${minimum} before`;
    return { error: 'downgrade', text };
  }

  if (best.endsWith('-PLUS')) return { mechanism: best, channelBinding: usableBinding as ChannelBindingType };
  // RFC 5802 §6: "y" only when the server offered no -PLUS at all. If it did, but we share no
  // binding type with it, "y" would make it abort as if attacked, so send "n" (no field).
  if (best.startsWith('SCRAM-') && canBind && !serverOffersPlus) return { mechanism: best, channelBinding: 'client-supports' };
  return { mechanism: best };
}

function noMechanismText(offered: string[], input: ChooseMechanismInput): string {
  if (offered.length === 0) return 'the server offered no SASL mechanisms';
  // Plain SCRAM is always usable, so what is left here is -PLUS and PLAIN, both needing TLS.
  const known = offered.filter((m) => mechanismStrength(m) > 0);
  if (known.length === 0) {
    return `none of the server's mechanisms (${offered.join(', ')}) is supported; Flint supports ${MECHANISM_ORDER.join(', ')}`;
  }
  if (!input.tls) {
    return `the server offers only ${known.join(', ')}, and the connection is not encrypted: sending the password (PLAIN) or channel binding needs TLS`;
  }
  const reasons: string[] = [];
  if (known.some((m) => m.endsWith('-PLUS'))) reasons.push('channel binding is not available on this connection');
  if (known.includes('PLAIN')) reasons.push('PLAIN is turned off for this account');
  return `the server offers only ${known.join(', ')}: ${reasons.join(', and ')}`;
}

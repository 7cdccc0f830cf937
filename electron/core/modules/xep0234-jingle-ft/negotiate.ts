// XEP-0260 decisions, as pure functions: candidate priorities (§2.2, the type preferences of
// XEP-0176 adapted), and which of the two "candidate-used" wins (§2.4).
import type { CandidateType, S5bCandidate } from './parse';

/** §2.2: priority = (2^16)·(type preference) + (2^8)·(local preference) + (2^0)·(256 − component ID). */
const TYPE_PREFERENCE: Record<CandidateType, number> = { direct: 126, assisted: 120, tunnel: 110, proxy: 10 };

export function candidatePriority(type: CandidateType, localPreference = 0): number {
  return TYPE_PREFERENCE[type] * 65536 + Math.max(0, Math.min(255, localPreference)) * 256 + 255;
}

export interface Choice {
  candidate: S5bCandidate;
  /** 'ours': a candidate we offered (the peer connected to it); 'theirs': one the peer offered. */
  owner: 'ours' | 'theirs';
}

/**
 * §2.4: once both sides reported, the used candidate with the higher priority wins; on equal
 * priority, the one the initiator connected to (a responder's candidate). undefined: neither
 * side could connect (fall back to another transport, §2.6).
 */
export function selectCandidate(role: 'initiator' | 'responder', oursUsedByPeer: S5bCandidate | undefined, theirsUsedByUs: S5bCandidate | undefined): Choice | undefined {
  if (!oursUsedByPeer && !theirsUsedByUs) return undefined;
  if (!oursUsedByPeer) return { candidate: theirsUsedByUs!, owner: 'theirs' };
  if (!theirsUsedByUs) return { candidate: oursUsedByPeer, owner: 'ours' };
  if (oursUsedByPeer.priority !== theirsUsedByUs.priority) {
    return oursUsedByPeer.priority > theirsUsedByUs.priority ? { candidate: oursUsedByPeer, owner: 'ours' } : { candidate: theirsUsedByUs, owner: 'theirs' };
  }
  // Equal: the initiator's choice — for the initiator that is the peer's candidate it used.
  return role === 'initiator' ? { candidate: theirsUsedByUs, owner: 'theirs' } : { candidate: oursUsedByPeer, owner: 'ours' };
}

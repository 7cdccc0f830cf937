import { describe, expect, it } from 'vitest';
import type { AppEvent } from '../../shared/ipc/contract';
import type { TransferInfo } from '../../shared/transfer';
import { action, type Action } from './actions';
import { emptyConversations } from './conversations';
import { applyAll, emptyRoot } from './root';
import { snapshot } from './test-events';
import { applyTransfers, emptyTransfers, offerOpensTab, selectTransferCounts, type TransfersSlice } from './transfers';

const fold = (s: TransfersSlice, ...as: Action[]) => as.reduce(applyTransfers, s);

const transfer = (id: string, extra: Partial<TransferInfo> = {}): TransferInfo => ({
  id,
  direction: 'out',
  peer: 'bob@x',
  name: `${id}.bin`,
  size: 1000,
  state: 'waiting',
  bytes: 0,
  rate: 0,
  attempts: [],
  startedAt: 1_700_000_000_000,
  ...extra,
});
const added = (t: TransferInfo): AppEvent => ({ name: 'transfer.added', payload: { transfer: t } });
const updated = (t: TransferInfo): AppEvent => ({ name: 'transfer.updated', payload: { transfer: t } });
const progress = (id: string, bytes: number, rate: number, eta?: number): AppEvent => ({ name: 'transfer.progress', payload: eta === undefined ? { id, bytes, rate } : { id, bytes, rate, eta } });

describe('transfers slice', () => {
  it('takes the transfers from the snapshot, ordered by start time, grouped per peer', () => {
    const s = fold(
      emptyTransfers,
      action('local.hydrated', {
        snapshot: snapshot({
          transfers: [transfer('b', { startedAt: 20 }), transfer('a', { startedAt: 10, peer: 'carol@x', direction: 'in', state: 'offered' }), transfer('c', { startedAt: 20 })],
        }),
      }),
    );
    expect(s.order).toEqual(['a', 'b', 'c']);
    expect(s.byPeer['bob@x']!.map((r) => r.id)).toEqual(['b', 'c']);
    expect(s.byPeer['carol@x']!.map((r) => r.id)).toEqual(['a']);
    // A later snapshot (re-sync) replaces them all.
    const again = fold(s, action('local.hydrated', { snapshot: snapshot({ transfers: [transfer('z')] }) }));
    expect(again.order).toEqual(['z']);
    expect(again.byPeer['carol@x']).toBeUndefined();
    // A snapshot without the field (an older main) means none.
    expect(fold(s, action('local.hydrated', { snapshot: snapshot() })).order).toEqual([]);
  });

  it('adds, replaces by id on update, and patches progress without touching the per-peer lists', () => {
    let s = fold(emptyTransfers, added(transfer('t1', { startedAt: 5 })), added(transfer('t0', { startedAt: 1 })));
    expect(s.order).toEqual(['t0', 't1']);
    const peerList = s.byPeer['bob@x'];
    s = fold(s, updated(transfer('t1', { startedAt: 5, state: 'transferring', method: 'jingle', transport: 'socks5-direct' })));
    expect(s.byId['t1']).toMatchObject({ state: 'transferring', method: 'jingle', transport: 'socks5-direct' });
    s = fold(s, progress('t1', 400, 2000, 0.3));
    expect(s.byId['t1']).toMatchObject({ bytes: 400, rate: 2000, eta: 0.3 });
    s = fold(s, progress('t1', 1000, 2500));
    expect(s.byId['t1']!.bytes).toBe(1000);
    expect(s.byId['t1']!.eta).toBeUndefined();
    expect(s.byPeer['bob@x']).toBe(peerList);
    expect(s.order).toEqual(['t0', 't1']);
  });

  it('progress may bring the size; unknown ids and repeats change nothing', () => {
    let s = fold(emptyTransfers, added(transfer('u', { size: undefined })));
    s = fold(s, { name: 'transfer.progress', payload: { id: 'u', bytes: 10, size: 50, rate: 1 } });
    expect(s.byId['u']!.size).toBe(50);
    expect(fold(s, progress('nope', 1, 1))).toBe(s);
    expect(fold(s, { name: 'transfer.progress', payload: { id: 'u', bytes: 10, rate: 1 } })).toBe(s);
  });

  it('the answer to transfer.send never overwrites newer events about the same transfer', () => {
    let s = fold(emptyTransfers, added(transfer('t', { state: 'transferring', bytes: 300 })));
    s = fold(s, action('local.transfersStarted', { transfers: [transfer('t', { state: 'waiting' }), transfer('n')] }));
    expect(s.byId['t']).toMatchObject({ state: 'transferring', bytes: 300 });
    expect(s.order).toEqual(['t', 'n']);
  });

  it('clear finished drops done, failed, cancelled and declined transfers only', () => {
    let s = fold(
      emptyTransfers,
      added(transfer('done', { state: 'done', startedAt: 1 })),
      added(transfer('failed', { state: 'failed', startedAt: 2, peer: 'carol@x', error: { code: 'hash-mismatch', message: 'x' } })),
      added(transfer('declined', { state: 'declined', startedAt: 3 })),
      added(transfer('running', { state: 'transferring', startedAt: 4 })),
      added(transfer('offer', { state: 'offered', direction: 'in', startedAt: 5 })),
    );
    expect(selectTransferCounts({ transfers: s })).toEqual({ offers: 1, active: 1, finished: 3 });
    s = fold(s, action('local.transfersCleared', {}));
    expect(s.order).toEqual(['running', 'offer']);
    expect(Object.keys(s.byId).sort()).toEqual(['offer', 'running']);
    expect(s.byPeer['carol@x']).toBeUndefined();
    expect(s.byPeer['bob@x']!.map((r) => r.id)).toEqual(['running', 'offer']);
    expect(fold(s, action('local.transfersCleared', {}))).toBe(s);
  });

  it('counts are the same object until a transfer changes', () => {
    const s = fold(emptyTransfers, added(transfer('a')));
    const c1 = selectTransferCounts({ transfers: s });
    expect(selectTransferCounts({ transfers: { ...s, settings: { downloadFolder: '/d', nativeDialogs: false } } })).toBe(c1);
  });

  it('follows staging: started, progress, failure kept until dismissed, ended', () => {
    let s = fold(emptyTransfers, action('local.stagingStarted', { key: 'k1', peer: 'bob@x', name: 'a.bin', size: 3_000_000, startedAt: 9 }));
    expect(selectTransferCounts({ transfers: s }).active).toBe(1);
    s = fold(s, action('local.stagingProgress', { key: 'k1', bytes: 1_048_576 }));
    expect(s.staging[0]).toMatchObject({ key: 'k1', bytes: 1_048_576 });
    expect(fold(s, action('local.stagingProgress', { key: 'k1', bytes: 1_048_576 }))).toBe(s);
    s = fold(s, action('local.stagingFailed', { key: 'k1', error: 'disk full' }));
    expect(s.staging[0]!.error).toBe('disk full');
    expect(selectTransferCounts({ transfers: s }).active).toBe(0);
    s = fold(s, action('local.stagingEnded', { key: 'k1' }));
    expect(s.staging).toEqual([]);
    expect(fold(s, action('local.stagingEnded', { key: 'k1' }))).toBe(s);
  });

  it('sign-out forgets transfers and staging but keeps the settings', () => {
    const settings = { downloadFolder: '/home/u/Downloads', nativeDialogs: true };
    const s = fold(emptyTransfers, action('local.transferSettings', { settings }), added(transfer('a')), action('local.stagingStarted', { key: 'k', peer: 'b@x', name: 'n', size: 1, startedAt: 1 }));
    const out = fold(s, action('local.loggedOut', {}));
    expect(out.order).toEqual([]);
    expect(out.staging).toEqual([]);
    expect(out.settings).toBe(settings);
  });

  it('an incoming offer opens a tab for its sender without taking over the active one', () => {
    const offer = added(transfer('o', { direction: 'in', state: 'offered', peer: 'carol@x' }));
    const withTab = offerOpensTab({ ...emptyConversations, tabs: ['bob@x'], active: 'bob@x' }, offer);
    expect(withTab.tabs).toEqual(['bob@x', 'carol@x']);
    expect(withTab.active).toBe('bob@x');
    expect(offerOpensTab(emptyConversations, offer).active).toBe('carol@x');
    const same = { ...emptyConversations, tabs: ['carol@x'], active: 'carol@x' };
    expect(offerOpensTab(same, offer)).toBe(same);
    expect(offerOpensTab(emptyConversations, added(transfer('x')))).toBe(emptyConversations);
    // Through the root reducer.
    const root = applyAll(emptyRoot, [offer]);
    expect(root.conversations.tabs).toEqual(['carol@x']);
    expect(root.transfers.order).toEqual(['o']);
  });
});

import { describe, expect, it } from 'vitest';
import type { AppEvent } from '../../shared/ipc/contract';
import { action, type Action } from './actions';
import { applyChatStatus, emptyChatStatus, seenIndex, type ChatStatusSlice } from './chat-status';
import { connectionChanged, msg, received, snapshot } from './test-events';

const fold = (s: ChatStatusSlice, ...as: Action[]) => as.reduce(applyChatStatus, s);
const state = (peer: string, resource: string, st: 'active' | 'composing' | 'paused' | 'inactive' | 'gone'): AppEvent => ({ name: 'chat.state', payload: { peer, resource, state: st } });

describe('chat status slice', () => {
  it('shows typing per resource; paused, active or a message from that resource clears it', () => {
    let s = fold(emptyChatStatus, state('b@x', 'phone', 'composing'), state('b@x', 'desk', 'composing'));
    expect(s.typing['b@x']).toEqual(['phone', 'desk']);
    s = fold(s, state('b@x', 'desk', 'paused'));
    expect(s.typing['b@x']).toEqual(['phone']);
    s = fold(s, received(msg('b@x', { from: 'b@x/phone' })));
    expect(s.typing['b@x']).toBeUndefined();
    s = fold(s, state('b@x', '', 'composing'), state('b@x', '', 'active'));
    expect(s.typing['b@x']).toBeUndefined();
  });

  it('repeats change nothing (same object), and going offline forgets who was typing', () => {
    const s = fold(emptyChatStatus, state('b@x', 'phone', 'composing'));
    expect(fold(s, state('b@x', 'phone', 'composing'))).toBe(s);
    expect(fold(s, state('c@x', 'r', 'paused'))).toBe(s);
    expect(fold(s, connectionChanged('reconnecting')).typing).toEqual({});
  });

  it('our own messages do not clear the peer’s typing', () => {
    const s = fold(emptyChatStatus, state('b@x', 'phone', 'composing'), received(msg('b@x', { direction: 'out', from: 'me@x/flint' })));
    expect(s.typing['b@x']).toEqual(['phone']);
  });

  it('remembers the latest displayed marker per peer', () => {
    const s = fold(emptyChatStatus, { name: 'message.displayed', payload: { peer: 'b@x', id: 'm1' } }, { name: 'message.displayed', payload: { peer: 'b@x', id: 'm3' } });
    expect(s.seen).toEqual({ 'b@x': 'm3' });
    const list = [
      { id: 'm1', direction: 'out' as const },
      { id: 'm2', direction: 'in' as const },
      { id: 'm3', direction: 'out' as const },
      { id: 'm4', direction: 'out' as const },
    ];
    expect(seenIndex(list, 'm3')).toBe(2);
    expect(seenIndex(list, 'unknown')).toBe(-1);
    expect(seenIndex(list, undefined)).toBe(-1);
  });

  it('takes the stored displayed marks from the snapshot, then follows markers; a new snapshot replaces them', () => {
    let s = fold(emptyChatStatus, { name: 'message.displayed', payload: { peer: 'd@x', id: 'old' } });
    s = fold(s, action('local.hydrated', { snapshot: snapshot({ seen: { 'b@x': 'm2', 'c@x': 'm7' } }) }));
    expect({ ...s.seen }).toEqual({ 'b@x': 'm2', 'c@x': 'm7' });
    s = fold(s, { name: 'message.displayed', payload: { peer: 'b@x', id: 'm5' } });
    expect({ ...s.seen }).toEqual({ 'b@x': 'm5', 'c@x': 'm7' });
    // A peer's JID is only a key: it cannot reach the object's prototype.
    s = fold(s, action('local.hydrated', { snapshot: snapshot({ seen: JSON.parse('{"__proto__":"m9"}') as Record<string, string> }) }));
    expect(Object.keys(s.seen)).toEqual(['__proto__']);
    expect(s.seen['__proto__']).toBe('m9');
    // A snapshot without marks (an older main) leaves none.
    expect(fold(s, action('local.hydrated', { snapshot: snapshot() })).seen).toEqual({});
    expect(fold(s, action('local.loggedOut', {})).seen).toEqual({});
  });

  it('takes muted conversations from the snapshot, then follows mute changes; sign-out forgets all', () => {
    let s = fold(emptyChatStatus, action('local.hydrated', { snapshot: snapshot({ muted: ['b@x'] }) }));
    expect([...s.muted]).toEqual(['b@x']);
    s = fold(s, action('local.muteChanged', { peer: 'c@x', muted: true }), action('local.muteChanged', { peer: 'b@x', muted: false }));
    expect([...s.muted]).toEqual(['c@x']);
    expect(fold(s, action('local.muteChanged', { peer: 'c@x', muted: true }))).toBe(s);
    expect(fold(s, action('local.loggedOut', {}))).toBe(emptyChatStatus);
  });
});

import { describe, expect, it } from 'vitest';
import type { Show } from '../../../shared/domain';
import { AutoAway, autoAwayShow, ManualIdleMonitor } from './idle';

const settings = { enabled: true, awayMinutes: 5, xaMinutes: 20 };

describe('autoAwayShow', () => {
  it('is away from N minutes, extended away from M', () => {
    expect(autoAwayShow(299, settings, 'available')).toBeNull();
    expect(autoAwayShow(300, settings, 'available')).toBe('away');
    expect(autoAwayShow(1199, settings, 'chat')).toBe('away');
    expect(autoAwayShow(1200, settings, 'available')).toBe('xa');
  });

  it('leaves a user alone who switched it off or chose something other than available', () => {
    expect(autoAwayShow(5000, { ...settings, enabled: false }, 'available')).toBeNull();
    for (const show of ['away', 'xa', 'dnd'] as Show[]) expect(autoAwayShow(5000, settings, show)).toBeNull();
  });
});

describe('ManualIdleMonitor', () => {
  it('grows with the clock from the value set', () => {
    let now = 1_000_000;
    const m = new ManualIdleMonitor(() => now);
    expect(m.systemIdleSeconds()).toBe(0);
    m.set(100);
    now += 2_500;
    expect(m.systemIdleSeconds()).toBe(102);
    m.set(0);
    expect(m.systemIdleSeconds()).toBe(0);
  });
});

function harness(chosen: { show: Show; status?: string } = { show: 'available', status: 'working' }) {
  let now = 10_000_000;
  const monitor = new ManualIdleMonitor(() => now);
  const applied: [Show, string | undefined, number | null][] = [];
  let online = true;
  let s = { ...settings };
  const auto = new AutoAway({
    monitor,
    settings: () => s,
    chosen: () => chosen,
    online: () => online,
    apply: (show, status, since) => applied.push([show, status, since]),
    now: () => now,
  });
  return {
    auto,
    applied,
    idle: (sec: number) => monitor.set(sec),
    advance: (ms: number) => (now += ms),
    setOnline: (v: boolean) => (online = v),
    setSettings: (v: typeof settings) => (s = v),
    now: () => now,
  };
}

describe('AutoAway', () => {
  it('goes away, then extended away with the same idle-since, then back to the chosen presence', () => {
    const h = harness();
    h.auto.check();
    expect(h.applied).toEqual([]);
    h.idle(301);
    h.auto.check();
    const since = h.now() - 301_000;
    expect(h.applied).toEqual([['away', 'working', since]]);
    h.auto.check(); // nothing new
    expect(h.applied).toHaveLength(1);
    h.advance(15 * 60_000);
    h.auto.check();
    expect(h.applied[1]).toEqual(['xa', 'working', since]);
    h.idle(0);
    h.auto.check();
    expect(h.applied[2]).toEqual(['available', 'working', null]);
    expect(h.auto.state).toBeNull();
  });

  it('does nothing while offline, and re-applies after a new stream (reset)', () => {
    const h = harness();
    h.setOnline(false);
    h.idle(600);
    h.auto.check();
    expect(h.applied).toEqual([]);
    h.setOnline(true);
    h.auto.check();
    expect(h.applied.map((a) => a[0])).toEqual(['away']);
    h.auto.reset(); // the reconnect announced "available"
    h.auto.check();
    expect(h.applied.map((a) => a[0])).toEqual(['away', 'away']);
  });

  it('switching it off while away restores the chosen presence', () => {
    const h = harness();
    h.idle(400);
    h.auto.check();
    h.setSettings({ ...settings, enabled: false });
    h.auto.check();
    expect(h.applied.map((a) => [a[0], a[2] === null])).toEqual([
      ['away', false],
      ['available', true],
    ]);
  });

  it('a user in Do not disturb stays there', () => {
    const h = harness({ show: 'dnd' });
    h.idle(5000);
    h.auto.check();
    expect(h.applied).toEqual([]);
  });
});

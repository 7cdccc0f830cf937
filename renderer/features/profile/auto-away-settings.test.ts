import { describe, expect, it } from 'vitest';
import { checkAutoAway } from './auto-away-settings';

describe('auto-away settings as typed', () => {
  it('takes whole minutes from 1 to a day, extended away not before away', () => {
    expect(checkAutoAway('5', '20')).toEqual({ ok: true, awayMinutes: 5, xaMinutes: 20 });
    expect(checkAutoAway(' 1 ', '1')).toEqual({ ok: true, awayMinutes: 1, xaMinutes: 1 });
    expect(checkAutoAway('0', '20')).toMatchObject({ ok: false, field: 'away' });
    expect(checkAutoAway('', '20')).toMatchObject({ ok: false, field: 'away' });
    expect(checkAutoAway('5', '1441')).toMatchObject({ ok: false, field: 'xa' });
    expect(checkAutoAway('30', '20')).toEqual({ ok: false, field: 'xa', key: 'autoAway.xaBeforeAway' });
    expect(checkAutoAway('1.5', '20')).toMatchObject({ ok: false, field: 'away' });
  });
});

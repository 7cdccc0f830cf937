import { beforeAll, describe, expect, it } from 'vitest';
import type { TFunction } from 'i18next';
import { TRANSFER_ERROR_CODES, TRANSFER_STATES } from '../../../shared/transfer';
import { initI18n } from '../../i18n';
import { StageTooLargeError } from './stage-upload';
import { attemptLines, errorDetail, errorLine, kindText, methodLine, progressLine, stageFailureText, stateLine, valueText } from './transfer-text';

let t: TFunction;

beforeAll(async () => {
  const i18n = await initI18n('en');
  t = i18n.t.bind(i18n) as TFunction;
});

describe('transfer card words', () => {
  it('says what is happening, for every state and direction, naming the peer', () => {
    expect(stateLine(t, { state: 'offered', direction: 'in' }, 'Bob')).toBe('Bob wants to send you a file');
    expect(stateLine(t, { state: 'waiting', direction: 'out' }, 'Bob')).toBe('Waiting for Bob to accept');
    expect(stateLine(t, { state: 'transferring', direction: 'in' }, 'Bob')).toBe('Receiving from Bob');
    expect(stateLine(t, { state: 'done', direction: 'out' }, 'Bob')).toBe('Sent to Bob');
    expect(stateLine(t, { state: 'declined', direction: 'out' }, 'Bob')).toBe('Bob declined the file');
    for (const state of TRANSFER_STATES)
      for (const direction of ['in', 'out'] as const) {
        const line = stateLine(t, { state, direction }, 'Bob');
        // A missing key would come back as the key itself.
        expect(line, `${state}/${direction}`).not.toMatch(/^transfers\./);
      }
  });

  it('has clear words for every error code, and shows main’s detail apart', () => {
    for (const code of TRANSFER_ERROR_CODES) {
      const line = errorLine(t, { state: 'failed', direction: 'out', error: { code, message: 'x' } }, 'Bob');
      expect(line, code).not.toMatch(/^transfers\./);
    }
    expect(errorLine(t, { state: 'failed', direction: 'in', error: { code: 'hash-mismatch', message: 'sha-256 differs' } }, 'Bob')).toMatch(/damaged/);
    expect(errorLine(t, { state: 'cancelled', direction: 'in', error: { code: 'cancelled-by-peer', message: '' } }, 'Bob')).toBe('Bob cancelled the transfer.');
    expect(errorLine(t, { state: 'declined', direction: 'out' }, 'Bob')).toBe('Bob declined the file.');
    // Declined by us: the headline says it all.
    expect(errorLine(t, { state: 'declined', direction: 'in', error: { code: 'declined', message: 'declined' } }, 'Bob')).toBeNull();
    expect(errorLine(t, { state: 'done', direction: 'out' }, 'Bob')).toBeNull();
    expect(errorDetail(t, { error: { code: 'too-large', message: 'file too large: limit is 100 MB' } })).toBe('Details: file too large: limit is 100 MB');
    expect(errorDetail(t, {})).toBeNull();
  });

  it('names the method and transport, and the fallbacks tried first', () => {
    expect(methodLine(t, { method: 'jingle', transport: 'socks5-direct' })).toBe('via Jingle (SOCKS5 direct)');
    expect(methodLine(t, { method: 'si', transport: 'ibb' })).toBe('via Stream Initiation (in-band)');
    expect(methodLine(t, { method: 'upload', transport: 'http' })).toBe('via HTTP upload');
    expect(methodLine(t, {})).toBeNull();
    expect(attemptLines(t, { attempts: [{ method: 'jingle', error: 'no common transport' }] })).toEqual(['Tried Jingle first: no common transport']);
  });

  it('shows bytes, rate and time left while moving; the amount alone otherwise', () => {
    expect(progressLine(t, { state: 'transferring', bytes: 3_200_000, size: 10_000_000, rate: 2_100_000, eta: 3.3 }, 'en')).toBe('3.2 MB of 10 MB · 2.1 MB/s · 4 s left');
    expect(progressLine(t, { state: 'transferring', bytes: 3_200_000, size: 10_000_000, rate: 0 }, 'en')).toBe('3.2 MB of 10 MB');
    expect(progressLine(t, { state: 'done', bytes: 10_000_000, size: 10_000_000, rate: 5, eta: 0 }, 'en')).toBe('10 MB of 10 MB');
    expect(progressLine(t, { state: 'transferring', bytes: 500, rate: 100 }, 'en')).toBe('500 B · 100 B/s');
    expect(valueText(t, 3_200_000, 10_000_000, 'en')).toBe('3.2 MB of 10 MB (32%)');
    expect(valueText(t, 3_200_000, undefined, 'en')).toBe('3.2 MB');
  });

  it('describes the type of a file and a failed staging', () => {
    expect(kindText(t, 'r.pdf', 'application/pdf')).toBe('PDF document (application/pdf)');
    expect(kindText(t, 'a.zip', 'application/octet-stream')).toBe('Archive');
    expect(kindText(t, 'x', undefined)).toBe('File');
    expect(stageFailureText(t, new StageTooLargeError(8 * 1024 ** 3), 'en')).toBe('It is larger than 8.6 GB, the most Flint can send from here.');
    expect(stageFailureText(t, new Error('not online'), 'en')).toBe('Details: not online');
  });
});

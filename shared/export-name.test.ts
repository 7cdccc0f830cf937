import { describe, expect, it } from 'vitest';
import { exportFileName } from './export-name';

describe('exportFileName', () => {
  it('keeps a JID readable and replaces anything that could be a path or a control character', () => {
    expect(exportFileName('bob@example.test', 'text')).toBe('flint-bob@example.test.txt');
    expect(exportFileName('../../etc/passwd@x', 'html')).toBe('flint-.._.._etc_passwd@x.html');
    expect(exportFileName('a\u202Eb\u0000c@d', 'text')).toBe('flint-a_b_c@d.txt');
    expect(exportFileName('李雷@例子.测试', 'text')).toBe('flint-李雷@例子.测试.txt');
  });
  it('caps the length', () => {
    expect(exportFileName(`${'x'.repeat(300)}@d`, 'text')).toHaveLength('flint-'.length + 100 + '.txt'.length);
  });
});

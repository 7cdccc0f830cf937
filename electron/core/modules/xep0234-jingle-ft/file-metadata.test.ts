import { describe, expect, it } from 'vitest';
import { stanza, wire } from '../test-context';
import { buildFileMeta, parseFileMeta, parseSize } from './file-metadata';
import { parseHashes, pickHash } from './hashes';

describe('XEP-0446 file metadata and XEP-0300 hashes', () => {
  it('parses the XEP-0446 example and builds it back in the same order', () => {
    const xml = `<file xmlns='urn:xmpp:file:metadata:0'><media-type>text/plain</media-type><name>test.txt</name><size>6144</size><date>2015-07-26T21:46:00+01:00</date>` +
      `<desc>Document</desc><hash xmlns='urn:xmpp:hashes:2' algo='sha-256'>LCa0a2j/xo/5m0U8HTBBNBNCLXBkg7+g+YpeiGJm564=</hash></file>`;
    const meta = parseFileMeta(stanza(xml));
    expect(meta).toEqual({ name: 'test.txt', size: 6144, mediaType: 'text/plain', date: '2015-07-26T21:46:00+01:00', desc: 'Document', hashes: [{ algo: 'sha-256', value: 'LCa0a2j/xo/5m0U8HTBBNBNCLXBkg7+g+YpeiGJm564=' }] });
    expect(wire(buildFileMeta(meta))).toBe(xml);
  });

  it('drops sizes that are not plain integers, bad media types, and hashes of the wrong length or encoding', () => {
    expect(parseSize('-1')).toBeUndefined();
    expect(parseSize('1e3')).toBeUndefined();
    expect(parseSize('99999999999999999')).toBeUndefined();
    expect(parseSize(' 42 ')).toBe(42);
    const meta = parseFileMeta(stanza(`<file xmlns='urn:xmpp:file:metadata:0'><media-type>text/html; charset=x"></media-type><size>abc</size></file>`));
    expect(meta).toEqual({ hashes: [] });
    const hashes = parseHashes(stanza(`<file xmlns='urn:xmpp:file:metadata:0'><hash xmlns='urn:xmpp:hashes:2' algo='sha-256'>AAAA</hash>` +
      `<hash xmlns='urn:xmpp:hashes:2' algo='sha-256'>not base64!</hash><hash xmlns='urn:xmpp:hashes:2' algo='SHA-1'>2jmj7l5rSw0yVb/vlWAYkK/YBwk=</hash></file>`));
    expect(hashes).toEqual([{ algo: 'sha-1', value: '2jmj7l5rSw0yVb/vlWAYkK/YBwk=' }]);
    // sha-1 is parsed (for display) but never used to check a file (XEP-0300 §4)
    expect(pickHash(hashes)).toBeUndefined();
  });
});

import { describe, expect, it } from 'vitest';
import { NS } from '../../module';
import { ModuleTestBed, stanza, wire } from '../test-context';
import { versionModule, type VersionApi } from '.';
import { parseVersion } from './parse';

const setup = () => {
  const host = new ModuleTestBed([versionModule({ name: 'Flint', version: '1.2.3' })]);
  return { host, ctx: host.ctx, api: host.api<VersionApi>('xep0092-version') };
};

describe('XEP-0092 software version', () => {
  it('announces jabber:iq:version', () => {
    expect(setup().ctx.features()).toEqual([NS.version]);
  });

  it('answers with name and version and never the OS', async () => {
    const { host } = setup();
    const res = await host.receive(stanza(`<iq type='get' id='v1' from='bob@example.org/x'><query xmlns='jabber:iq:version'/></iq>`));
    expect(wire(res!)).toBe(
      `<iq type='result' id='v1' to='bob@example.org/x'><query xmlns='jabber:iq:version'><name>Flint</name><version>1.2.3</version></query></iq>`,
    );
    expect(res!.child('query', NS.version)!.child('os')).toBeUndefined();
  });

  it('queries another entity', async () => {
    const { ctx, api } = setup();
    const answer = api.query('example.org');
    expect(wire(ctx.pendingIqs()[0]!)).toBe(`<iq type='get' to='example.org' id='id1'><query xmlns='jabber:iq:version'/></iq>`);
    ctx.answerIq('id1', stanza(`<query xmlns='jabber:iq:version'><name> Prosody </name><version>0.12.3</version><os>Linux</os></query>`));
    await expect(answer).resolves.toEqual({ name: 'Prosody', version: '0.12.3', os: 'Linux' });
  });

  it('reads partial answers', () => {
    expect(parseVersion(stanza(`<query xmlns='jabber:iq:version'><name>X</name></query>`))).toEqual({ name: 'X', version: '' });
    expect(parseVersion(undefined)).toEqual({ name: '', version: '' });
  });
});

import { describe, expect, it } from 'vitest';
import { IqError } from '../../module';
import type { XmlElement } from '../../xml/element';
import { ModuleTestBed, stanza, wire } from '../test-context';
import { discoModule } from '../xep0030-disco';
import { searchModule, type SearchApi } from '.';

const compact = (xml: string) => xml.replace(/>\s+</g, '><');
const setup = (answer: (iq: XmlElement) => XmlElement | null | IqError | undefined) => {
  const host = new ModuleTestBed([discoModule, searchModule]);
  host.ctx.responder = answer;
  return { host, ctx: host.ctx, api: host.api<SearchApi>('xep0055-search') };
};

// XEP-0055 Example 2 / Example 7.
const LEGACY_FIELDS = stanza(
  compact(`<query xmlns='jabber:iq:search'><instructions>Fill in one or more fields to search for any matching Jabber users.</instructions><first/><last/><nick/><email/></query>`),
);
const FORM_FIELDS = stanza(
  compact(`<query xmlns='jabber:iq:search'>
    <instructions>Use the enclosed form to search. If your Jabber client does not support Data Forms, visit http://shakespeare.lit/</instructions>
    <x xmlns='jabber:x:data' type='form'>
      <title>User Directory Search</title>
      <instructions>Please provide the following information to search for Shakespearean characters.</instructions>
      <field type='hidden' var='FORM_TYPE'><value>jabber:iq:search</value></field>
      <field type='text-single' label='Given Name' var='first'/>
      <field type='text-single' label='Family Name' var='last'/>
      <field type='list-single' label='Gender' var='x-gender'><option label='Male'><value>male</value></option><option label='Female'><value>female</value></option></field>
    </x></query>`),
);

describe('XEP-0055 search', () => {
  it('reads legacy fields as a form of text fields, and searches with the non-empty ones (Examples 2–4)', async () => {
    const { ctx, api } = setup((iq) =>
      iq.attr('type') === 'get'
        ? LEGACY_FIELDS
        : stanza(
            compact(`<query xmlns='jabber:iq:search'>
              <item jid='juliet@capulet.com'><first>Juliet</first><last>Capulet</last><nick>JuliC</nick><email>juliet@shakespeare.lit</email></item>
              <item jid='tybalt@shakespeare.lit'><first>Tybalt</first><last>Capulet</last><nick>ty</nick><email>tybalt@shakespeare.lit</email></item></query>`),
          ),
    );
    const form = await api.fields('characters.shakespeare.lit');
    expect(form.kind).toBe('legacy');
    expect(form.form.instructions).toEqual(['Fill in one or more fields to search for any matching Jabber users.']);
    expect(form.form.fields.map((f) => [f.var, f.label, f.type])).toEqual([
      ['first', 'First name', 'text-single'],
      ['last', 'Last name', 'text-single'],
      ['nick', 'Nickname', 'text-single'],
      ['email', 'Email', 'text-single'],
    ]);
    const result = await api.search('characters.shakespeare.lit', form, { last: ['Capulet'], first: [' '] });
    expect(wire(ctx.sent[1]!)).toBe(`<iq type='set' to='characters.shakespeare.lit' id='id2'><query xmlns='jabber:iq:search'><last>Capulet</last></query></iq>`);
    expect(result.columns.map((c) => c.var)).toEqual(['jid', 'first', 'last', 'nick', 'email']);
    expect(result.items[1]).toEqual({ jid: ['tybalt@shakespeare.lit'], first: ['Tybalt'], last: ['Capulet'], nick: ['ty'], email: ['tybalt@shakespeare.lit'] });
  });

  it('prefers the data form, submits it with FORM_TYPE, and reads reported columns (Examples 7–9)', async () => {
    const { ctx, api } = setup((iq) =>
      iq.attr('type') === 'get'
        ? FORM_FIELDS
        : stanza(
            compact(`<query xmlns='jabber:iq:search'><x xmlns='jabber:x:data' type='result'>
              <field type='hidden' var='FORM_TYPE'><value>jabber:iq:search</value></field>
              <reported><field var='first' label='Given Name' type='text-single'/><field var='jid' label='Jabber ID' type='jid-single'/></reported>
              <item><field var='first'><value>Romeo</value></field><field var='jid'><value>romeo@montague.net</value></field></item>
            </x></query>`),
          ),
    );
    const form = await api.fields('characters.shakespeare.lit');
    expect(form.kind).toBe('form');
    expect(form.form.title).toBe('User Directory Search');
    const result = await api.search('characters.shakespeare.lit', form, { 'x-gender': ['male'], first: ['Romeo'] });
    expect(wire(ctx.sent[1]!)).toBe(
      `<iq type='set' to='characters.shakespeare.lit' id='id2'><query xmlns='jabber:iq:search'><x xmlns='jabber:x:data' type='submit'>` +
        `<field var='FORM_TYPE' type='hidden'><value>jabber:iq:search</value></field><field var='first'><value>Romeo</value></field>` +
        `<field var='x-gender'><value>male</value></field></x></query></iq>`,
    );
    expect(result).toEqual({
      columns: [
        { var: 'first', label: 'Given Name', type: 'text-single', required: false, values: [], options: [] },
        { var: 'jid', label: 'Jabber ID', type: 'jid-single', required: false, values: [], options: [] },
      ],
      items: [{ first: ['Romeo'], jid: ['romeo@montague.net'] }],
    });
  });

  it('refuses a value outside a list’s options before sending anything', async () => {
    const { ctx, api } = setup(() => FORM_FIELDS);
    const form = await api.fields('characters.shakespeare.lit');
    await expect(api.search('characters.shakespeare.lit', form, { 'x-gender': ['other'] })).rejects.toThrow(/x-gender/);
    expect(ctx.sent).toHaveLength(1);
  });

  it('finds the directories among the server’s items (identity directory/user or the feature)', async () => {
    const { api } = setup((iq) => {
      const q = iq.child('query')!;
      if (q.ns.endsWith('#items')) {
        return stanza(
          `<query xmlns='http://jabber.org/protocol/disco#items'><item jid='vjud.example.org' name='vJUD'/><item jid='conference.example.org'/><item jid='search.example.org'/><item jid='down.example.org'/></query>`,
        );
      }
      const to = iq.attr('to');
      if (to === 'vjud.example.org') return stanza(`<query xmlns='http://jabber.org/protocol/disco#info'><identity category='directory' type='user' name='vCard User Search'/></query>`);
      if (to === 'search.example.org') return stanza(`<query xmlns='http://jabber.org/protocol/disco#info'><identity category='component' type='generic'/><feature var='jabber:iq:search'/></query>`);
      if (to === 'down.example.org') return new IqError('remote-server-not-found', 'cancel');
      return stanza(`<query xmlns='http://jabber.org/protocol/disco#info'><identity category='conference' type='text'/></query>`);
    });
    await expect(api.services()).resolves.toEqual([{ jid: 'vjud.example.org', name: 'vCard User Search' }, { jid: 'search.example.org' }]);
  });
});

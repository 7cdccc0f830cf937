import { describe, expect, it } from 'vitest';
import { initialValues, validateForm, type DataForm } from '../../../../shared/forms';
import { stanza, wire } from '../test-context';
import { buildCancel, buildDataForm, buildSubmit, FormInvalidError, parseDataForm } from '.';

// XEP-0004 Example 2: the "Bot Configuration" form, every field type in one form.
const BOT_FORM = `<x xmlns='jabber:x:data' type='form'>
  <title>Bot Configuration</title>
  <instructions>Fill out this form to configure your new bot!</instructions>
  <field type='hidden' var='FORM_TYPE'><value>jabber:bot</value></field>
  <field type='fixed'><value>Section 1: Bot Info</value></field>
  <field type='text-single' label='The name of your bot' var='botname'/>
  <field type='text-multi' label='Helpful description of your bot' var='description'/>
  <field type='boolean' label='Public bot?' var='public'><required/></field>
  <field type='text-private' label='Password for special access' var='password'/>
  <field type='fixed'><value>Section 2: Features</value></field>
  <field type='list-multi' label='What features will the bot support?' var='features'>
    <option label='Contests'><value>contests</value></option>
    <option label='News'><value>news</value></option>
    <option label='Polls'><value>polls</value></option>
    <option label='Reminders'><value>reminders</value></option>
    <option label='Search'><value>search</value></option>
    <value>news</value><value>search</value>
  </field>
  <field type='fixed'><value>Section 3: Subscriber List</value></field>
  <field type='list-single' label='Maximum number of subscribers' var='maxsubs'>
    <value>20</value>
    <option label='10'><value>10</value></option>
    <option label='20'><value>20</value></option>
    <option label='30'><value>30</value></option>
    <option label='50'><value>50</value></option>
    <option label='100'><value>100</value></option>
    <option label='None'><value>none</value></option>
  </field>
  <field type='fixed'><value>Section 4: Invitations</value></field>
  <field type='jid-multi' label='People to invite' var='invitelist'><desc>Tell all your friends about your new bot!</desc></field>
</x>`;

const parse = (xml: string) => parseDataForm(stanza(xml.replace(/>\s+</g, '><')));

describe('XEP-0004 parse', () => {
  it('reads every field type of the spec example (Example 2)', () => {
    const form = parse(BOT_FORM);
    expect(form.type).toBe('form');
    expect(form.title).toBe('Bot Configuration');
    expect(form.instructions).toEqual(['Fill out this form to configure your new bot!']);
    expect(form.fields.map((f) => [f.var, f.type])).toEqual([
      ['FORM_TYPE', 'hidden'],
      [undefined, 'fixed'],
      ['botname', 'text-single'],
      ['description', 'text-multi'],
      ['public', 'boolean'],
      ['password', 'text-private'],
      [undefined, 'fixed'],
      ['features', 'list-multi'],
      [undefined, 'fixed'],
      ['maxsubs', 'list-single'],
      [undefined, 'fixed'],
      ['invitelist', 'jid-multi'],
    ]);
    const features = form.fields.find((f) => f.var === 'features')!;
    expect(features.values).toEqual(['news', 'search']);
    expect(features.options[0]).toEqual({ value: 'contests', label: 'Contests' });
    expect(form.fields.find((f) => f.var === 'public')!.required).toBe(true);
    expect(form.fields.find((f) => f.var === 'invitelist')!.desc).toBe('Tell all your friends about your new bot!');
    expect(form.fields[1]!.values).toEqual(['Section 1: Bot Info']);
  });

  it('reads a multi-item result with reported columns (§3.4, XEP-0055 Example 9)', () => {
    const form = parse(`<x xmlns='jabber:x:data' type='result'>
      <field type='hidden' var='FORM_TYPE'><value>jabber:iq:search</value></field>
      <reported><field var='first' label='Given Name' type='text-single'/><field var='last' label='Family Name' type='text-single'/>
        <field var='jid' label='Jabber ID' type='jid-single'/><field var='x-gender' label='Gender' type='list-single'/></reported>
      <item><field var='first'><value>Benvolio</value></field><field var='last'><value>Montague</value></field>
        <field var='jid'><value>benvolio@montague.net</value></field><field var='x-gender'><value>male</value></field></item>
      <item><field var='first'><value>Romeo</value></field><field var='last'><value>Montague</value></field>
        <field var='jid'><value>romeo@montague.net</value></field><field var='x-gender'><value>male</value></field></item>
    </x>`);
    expect(form.reported!.map((f) => [f.var, f.label, f.type])).toEqual([
      ['first', 'Given Name', 'text-single'],
      ['last', 'Family Name', 'text-single'],
      ['jid', 'Jabber ID', 'jid-single'],
      ['x-gender', 'Gender', 'list-single'],
    ]);
    expect(form.items).toEqual([
      { first: ['Benvolio'], last: ['Montague'], jid: ['benvolio@montague.net'], 'x-gender': ['male'] },
      { first: ['Romeo'], last: ['Montague'], jid: ['romeo@montague.net'], 'x-gender': ['male'] },
    ]);
  });

  it('is lenient with what servers get wrong: no type, unknown types, fields without var, other namespaces', () => {
    const form = parse(`<x xmlns='jabber:x:data'>
      <field var='a'><value>1</value></field>
      <field var='b' type='text-fancy'/>
      <field type='text-single' label='no var'/>
      <field var='c' label='  '><value/></field>
      <field xmlns='urn:other' var='d'/>
      <field var='e' type='list-single'><validate xmlns='http://jabber.org/protocol/xdata-validate'><open/></validate><option><value>x</value></option><option label='no value'/></field>
    </x>`);
    expect(form.type).toBe('form');
    expect(form.fields).toEqual([
      { var: 'a', type: 'text-single', required: false, values: ['1'], options: [] },
      { var: 'b', type: 'text-single', required: false, values: [], options: [] },
      { var: 'c', type: 'text-single', required: false, values: [''], options: [] },
      { var: 'e', type: 'list-single', required: false, values: [], options: [{ value: 'x' }], open: true },
    ]);
  });
});

describe('XEP-0004 validation and submit', () => {
  const form = parse(BOT_FORM);

  it('starts from the defaults', () => {
    expect(initialValues(form)).toMatchObject({ FORM_TYPE: ['jabber:bot'], features: ['news', 'search'], maxsubs: ['20'], botname: [] });
  });

  it('finds a missing required field, a non-boolean, a bad JID, a value outside the options, two values in a single field', () => {
    expect(validateForm(form, {})).toEqual([{ var: 'public', label: 'Public bot?', problem: 'required' }]);
    expect(
      validateForm(form, { public: ['yes'], invitelist: ['juliet@capulet.com', 'not a@@jid'], maxsubs: ['1000'], botname: ['a', 'b'] }).map((p) => [p.var, p.problem]),
    ).toEqual([
      ['botname', 'single-value'],
      ['public', 'not-boolean'],
      ['maxsubs', 'not-an-option'],
      ['invitelist', 'not-a-jid'],
    ]);
    expect(validateForm(form, { public: ['true'] })).toEqual([]);
  });

  it('accepts values outside the options of an XEP-0122 open list', () => {
    const open: DataForm = { type: 'form', instructions: [], fields: [{ var: 'l', type: 'list-single', required: true, values: [], options: [{ value: 'a' }], open: true }] };
    expect(validateForm(open, { l: ['zzz'] })).toEqual([]);
  });

  it('builds the submit of XEP-0004 Example 3: var and values only, FORM_TYPE echoed, fixed left out', () => {
    const el = buildSubmit(form, {
      botname: ['The Jabber Google Bot'],
      description: ['This bot enables you to send requests to\nGoogle and receive the search results right\nin your Jabber client. It&apos; really cool!'],
      public: ['false'],
      password: ['v3r0na'],
      features: ['news', 'search'],
      maxsubs: ['50'],
      invitelist: ['juliet@capulet.com', 'benvolio@montague.net'],
    });
    expect(wire(el)).toBe(
      `<x xmlns='jabber:x:data' type='submit'>` +
        `<field var='FORM_TYPE' type='hidden'><value>jabber:bot</value></field>` +
        `<field var='botname'><value>The Jabber Google Bot</value></field>` +
        `<field var='description'><value>This bot enables you to send requests to</value><value>Google and receive the search results right</value><value>in your Jabber client. It&amp;apos; really cool!</value></field>` +
        `<field var='public'><value>0</value></field>` +
        `<field var='password'><value>v3r0na</value></field>` +
        `<field var='features'><value>news</value><value>search</value></field>` +
        `<field var='maxsubs'><value>50</value></field>` +
        `<field var='invitelist'><value>juliet@capulet.com</value><value>benvolio@montague.net</value></field>` +
        `</x>`,
    );
  });

  it('refuses to build a submit with problems, and never lets the user change a hidden field', () => {
    expect(() => buildSubmit(form, {})).toThrow(FormInvalidError);
    const el = buildSubmit(form, { public: ['1'], FORM_TYPE: ['evil'] });
    expect(el.elements('field').find((f) => f.attr('var') === 'FORM_TYPE')!.childText('value')).toBe('jabber:bot');
  });

  it('round-trips a form through build and parse', () => {
    expect(parseDataForm(stanza(wire(buildDataForm(form))))).toEqual(form);
    expect(wire(buildCancel())).toBe(`<x xmlns='jabber:x:data' type='cancel'/>`);
  });
});

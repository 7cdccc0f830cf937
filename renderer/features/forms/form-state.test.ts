import { describe, expect, it } from 'vitest';
import type { DataForm, FormField } from '../../../shared/forms';
import { initialValues, isTrue, lines, problemsByVar, resultTable, setLines, setSingle, single, toggleOption, validateForm, visibleFields } from './form-state';

const field = (over: Partial<FormField>): FormField => ({ type: 'text-single', required: false, values: [], options: [], ...over });

const form: DataForm = {
  type: 'form',
  instructions: ['Fill in.'],
  fields: [
    field({ var: 'FORM_TYPE', type: 'hidden', values: ['jabber:iq:register'] }),
    field({ type: 'fixed', values: ['Account'] }),
    field({ var: 'username', label: 'User', required: true }),
    field({ var: 'password', type: 'text-private', required: true }),
    field({ var: 'tos', type: 'boolean', values: ['0'] }),
    field({ var: 'lang', type: 'list-single', options: [{ value: 'en' }, { value: 'zh' }], values: ['en'] }),
    field({ var: 'topics', type: 'list-multi', options: [{ value: 'a' }, { value: 'b' }] }),
    field({ var: 'friends', type: 'jid-multi' }),
  ],
};

describe('data form state', () => {
  it('shows every field but the hidden ones and starts from the defaults', () => {
    expect(visibleFields(form).map((f) => f.var ?? 'fixed')).toEqual(['fixed', 'username', 'password', 'tos', 'lang', 'topics', 'friends']);
    const v = initialValues(form);
    expect(v.FORM_TYPE).toEqual(['jabber:iq:register']);
    expect(single(v, form.fields[5]!)).toBe('en');
  });

  it('edits single, multi-line and multi-choice values', () => {
    let v = initialValues(form);
    v = setSingle(v, form.fields[2]!, 'newbie');
    v = setSingle(v, form.fields[5]!, '');
    v = setLines(v, form.fields[7]!, ' a@x \n\n b@x ');
    v = toggleOption(v, form.fields[6]!, 'b', true);
    v = toggleOption(v, form.fields[6]!, 'a', true);
    v = toggleOption(v, form.fields[6]!, 'b', false);
    expect(v).toMatchObject({ username: ['newbie'], lang: [], friends: ['a@x', 'b@x'], topics: ['a'] });
    expect(lines(v, form.fields[7]!)).toBe('a@x\nb@x');
    expect(isTrue('1') && isTrue('true') && !isTrue('0')).toBe(true);
  });

  it('reports problems by field (required, not a JID)', () => {
    let v = initialValues(form);
    v = setLines(v, form.fields[7]!, 'not a jid@@');
    const problems = problemsByVar(validateForm(form, v));
    expect(problems.get('username')?.problem).toBe('required');
    expect(problems.get('password')?.problem).toBe('required');
    expect(problems.get('friends')?.problem).toBe('not-a-jid');
  });

  it('turns a result into a table with labelled columns', () => {
    const t = resultTable([field({ var: 'jid', label: 'JID' }), field({ var: 'fn' }), field({ var: 'x', type: 'hidden' }), field({ var: 'city', label: 'City' })], [{ jid: ['a@x'], fn: ['Ann', 'A.'], city: [''] }, { jid: ['b@x'] }]);
    expect(t).toEqual({ headers: [{ key: 'jid', label: 'JID' }, { key: 'fn', label: 'fn' }], rows: [['a@x', 'Ann, A.'], ['b@x', '']] });
  });
});

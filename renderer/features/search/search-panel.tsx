// Full-text search across all conversations (history.search: any script, CJK included). Results
// show the snippet with the matched words in <mark> elements built by React from the highlight
// ranges (never markup from main); choosing one opens that conversation scrolled to the message.
import { Fragment, useReducer, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Contact } from '../../../shared/domain';
import { Button } from '../../ui/button';
import { displayName } from '../../store/roster-rows';
import { useFlint } from '../../store/store';
import { useChatActions } from '../chat/chat-actions';
import { formatDay, formatTime } from '../chat/format';
import { idleSearch, searchReducer, snippetParts } from './search-state';
import './search.css';
import { errorText } from '../../../shared/error-text';

const nameOf = (contacts: Readonly<Record<string, Contact>>, peer: string): string => {
  const c = contacts[peer];
  return c ? displayName(c) : peer;
};

export function SearchPanel() {
  const { t, i18n } = useTranslation();
  const actions = useChatActions();
  const contacts = useFlint((s) => s.roster.contacts);
  const [query, setQuery] = useState('');
  const [state, send] = useReducer(searchReducer, idleSearch);
  const seq = useRef(0);
  const [openError, setOpenError] = useState<string | null>(null);

  const run = (e: FormEvent) => {
    e.preventDefault();
    const q = query.trim();
    if (q === '') return;
    setOpenError(null);
    const n = ++seq.current;
    send({ type: 'started', query: q, seq: n });
    actions.search(q).then(
      (hits) => send({ type: 'answered', seq: n, hits }),
      (err: unknown) => send({ type: 'failed', seq: n, error: errorText(err) }),
    );
  };

  const lng = i18n.language;
  return (
    <div className="search">
      <form role="search" className="search__form" onSubmit={run}>
        <input
          type="search"
          className="search__input"
          aria-label={t('talk.search')}
          placeholder={t('talk.search')}
          value={query}
          maxLength={1000}
          onChange={(e) => setQuery(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Escape' && state.status !== 'idle') {
              e.preventDefault();
              send({ type: 'cleared' });
            }
          }}
        />
        <Button type="submit" size="small" disabled={query.trim() === ''}>
          {t('talk.searchButton')}
        </Button>
        {state.status !== 'idle' ? (
          <Button size="small" variant="ghost" onClick={() => send({ type: 'cleared' })}>
            {t('talk.searchClose')}
          </Button>
        ) : null}
      </form>
      {state.status === 'searching' ? (
        <p className="search__status" role="status">
          {t('talk.searching')}
        </p>
      ) : null}
      {openError ? (
        <p className="search__status search__status--error" role="alert">
          {openError}
        </p>
      ) : null}
      {state.status === 'failed' ? (
        <p className="search__status search__status--error" role="alert">
          {t('talk.searchFailed', { detail: state.error })}
        </p>
      ) : null}
      {state.status === 'done' ? (
        state.hits.length === 0 ? (
          <p className="search__status" role="status">
            {t('talk.noResults')}
          </p>
        ) : (
          <ul className="search__results" aria-label={t('talk.searchResults')}>
            {state.hits.map((h) => {
              const m = h.message;
              const peer = nameOf(contacts, m.peer);
              const time = `${formatDay(m.timestamp, lng)} ${formatTime(m.timestamp, lng)}`;
              return (
                <li key={`${m.peer}\u0000${m.id}`}>
                  <button
                    type="button"
                    className="search__hit"
                    aria-label={t('talk.resultName', { peer, time, text: h.snippet.text })}
                    onClick={() => {
                      setOpenError(null);
                      actions.openAt(m.peer, m).catch((err: unknown) => setOpenError(t('talk.openHitFailed', { detail: errorText(err) })));
                      send({ type: 'cleared' });
                    }}
                  >
                    <span className="search__peer">{peer}</span> <span className="search__time">{time}</span>
                    <span className="search__snippet">
                      {snippetParts(h.snippet.text, h.snippet.highlights).map((p, i) => (p.mark ? <mark key={i}>{p.text}</mark> : <Fragment key={i}>{p.text}</Fragment>))}
                    </span>
                  </button>
                </li>
              );
            })}
          </ul>
        )
      ) : null}
    </div>
  );
}

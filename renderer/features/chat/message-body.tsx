import { Fragment, memo, useMemo, type KeyboardEvent, type ReactNode } from 'react';
import { parseStyling, type StyledNode } from '../../../shared/styling';
import { linkify } from './linkify';
import { useLinkOpener } from './link-dialog';

/**
 * A message body: XEP-0393 styling (shared/styling.ts) rendered as React elements — strong, em,
 * del, code, pre, blockquote — and recognized links that ask before opening (no href: nothing
 * navigates by itself). Everything stays text: no HTML is ever parsed from a body.
 */
export const MessageBody = memo(function MessageBody({ body }: { body: string }) {
  const openLink = useLinkOpener();
  const nodes = useMemo(() => parseStyling(body), [body]);
  const text = (s: string, key: string): ReactNode =>
    linkify(s).map((seg, i) =>
      seg.kind === 'text' ? (
        seg.text
      ) : (
        <a
          key={`${key}.${i}`}
          role="link"
          tabIndex={0}
          className="msg__link"
          title={seg.url}
          onClick={(e) => {
            e.preventDefault();
            openLink(seg.url);
          }}
          onKeyDown={(e: KeyboardEvent) => {
            if (e.key === 'Enter') {
              e.preventDefault();
              openLink(seg.url);
            }
          }}
        >
          {seg.text}
        </a>
      ),
    );
  const render = (list: StyledNode[], key: string): ReactNode[] =>
    list.map((n, i) => {
      const k = `${key}.${i}`;
      switch (n.type) {
        case 'text':
          return <Fragment key={k}>{text(n.text, k)}</Fragment>;
        case 'strong':
          return <strong key={k}>{render(n.children, k)}</strong>;
        case 'emphasis':
          return <em key={k}>{render(n.children, k)}</em>;
        case 'strike':
          return <del key={k}>{render(n.children, k)}</del>;
        case 'code':
          return (
            <code key={k} className="msg__code">
              {n.text}
            </code>
          );
        case 'pre':
          return (
            <pre key={k} className="msg__pre">
              <code>{n.text}</code>
            </pre>
          );
        case 'quote':
          return (
            <blockquote key={k} className="msg__quote">
              {render(n.children, k)}
            </blockquote>
          );
      }
    });
  return <div className="msg__body">{render(nodes, 'n')}</div>;
});

import { memo, type KeyboardEvent } from 'react';
import { linkify } from './linkify';
import { useLinkOpener } from './link-dialog';

/** A message body as text, with recognized links that ask before opening (no href: nothing navigates by itself). */
export const MessageBody = memo(function MessageBody({ body }: { body: string }) {
  const openLink = useLinkOpener();
  const segments = linkify(body);
  return (
    <p className="msg__body">
      {segments.map((s, i) =>
        s.kind === 'text' ? (
          s.text
        ) : (
          <a
            key={i}
            role="link"
            tabIndex={0}
            className="msg__link"
            title={s.url}
            onClick={(e) => {
              e.preventDefault();
              openLink(s.url);
            }}
            onKeyDown={(e: KeyboardEvent) => {
              if (e.key === 'Enter') {
                e.preventDefault();
                openLink(s.url);
              }
            }}
          >
            {s.text}
          </a>
        ),
      )}
    </p>
  );
});

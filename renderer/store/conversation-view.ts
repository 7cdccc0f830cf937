// Where the user is in a conversation's view, for the conversations slice: while they read above
// the bottom, the slice keeps every message it holds; at the bottom it keeps a window of the newest
// (conversations.ts MESSAGE_WINDOW). Only the message list knows its scroll position, and it tells
// the store on each change (not on every scroll event). Applied with the slice's pure
// readingChanged, on the store directly: no other slice depends on it.
import { readingChanged } from './conversations';
import { flintStore } from './store';

export function setReadingBack(peer: string, reading: boolean): void {
  flintStore.setState((s) => {
    const conversations = readingChanged(s.conversations, peer, reading);
    return conversations === s.conversations ? s : { ...s, conversations };
  }, true);
}

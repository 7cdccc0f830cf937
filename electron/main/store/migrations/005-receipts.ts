// 005: our messages still waiting for a XEP-0184 receipt, found without scanning the history: on
// login they are handed to the receipts module, so a receipt that arrives after an app restart
// still marks its message delivered.
import type { Database } from 'better-sqlite3';

export function m005Receipts(db: Database): void {
  db.exec(`CREATE INDEX messages_awaiting_receipt ON messages (account, id) WHERE direction = 'out' AND state = 'sent';`);
}

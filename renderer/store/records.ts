// Records keyed by remote input (JIDs, peer names, ids): built without a prototype, so a key such
// as `__proto__` or `constructor` is an ordinary entry and never reaches Object.prototype.

/** A copy of `from` as a prototype-less record, to change and hand on as the next state. */
export const nullProto = <T>(from: Readonly<Record<string, T>>): Record<string, T> => Object.assign(Object.create(null) as Record<string, T>, from);

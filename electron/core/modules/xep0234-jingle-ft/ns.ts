// Namespaces of Jingle file transfer: XEP-0166 (Jingle), XEP-0234 (file transfer application),
// XEP-0260 (SOCKS5 transport), XEP-0261 (IBB transport).
export const JINGLE_NS = 'urn:xmpp:jingle:1';
export const JINGLE_ERRORS_NS = 'urn:xmpp:jingle:errors:1';
export const JINGLE_FT_NS = 'urn:xmpp:jingle:apps:file-transfer:5';
export const JINGLE_S5B_NS = 'urn:xmpp:jingle:transports:s5b:1';
export const JINGLE_IBB_NS = 'urn:xmpp:jingle:transports:ibb:1';

// A bearer grant: a grant whose audience is whoever holds it, for doors where the caller has no
// peer id (A2A over HTTP). Its `aud` is this fixed value, which no real peer id can equal, so a
// libp2p peer presenting one fails the audience check; only a door that verifies with
// `presenter: BEARER_AUDIENCE` accepts it. Kept short-lived and narrow by the op that issues it.

/** Base58 text of a peer-id-like shape that no Ed25519 peer id (12D3Koo…) can be. */
export const BEARER_AUDIENCE = 'BearerTokenAudience'

/** The longest a bearer grant may live: anyone who copies it can use it until then. */
export const MAX_BEARER_SEC = 24 * 3600

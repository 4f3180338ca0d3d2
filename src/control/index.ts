/**
 * The local control channel of a running node: a Unix socket (mode 0600, in the 0700 home) plus a
 * random token in the run file (mode 0600). NDJSON: {id, token, op, params} → progress/text events
 * and one {id, result} | {id, error: {code, message}}.
 *
 *   startControlServer(me, paths?) → Promise<{ socketPath, close() }>   — call from `secondme start`
 *                                     (E_NODE_RUNNING if a live node already serves the socket)
 *   connectControl(paths) → Promise<RemoteCaller | undefined>            — the CLI's RemoteConnector
 *   callControl(socket, token, op, params, ctx)                          — one op over one connection
 */
export { startControlServer, type ControlServer, type ControlServerInit } from './server.js'
export { connectControl, callControl } from './client.js'
export { MAX_REQUEST_LINE, PING_OP, errorFromWire, errorToWire } from './protocol.js'
export { readRunFile, type RunFile } from './run-file.js'

// Hostile bytes in text that reaches a terminal: memory text from files, peers' answers, file paths.
// An escape sequence (OSC sets the window title or writes the clipboard, CSI clears the screen or
// moves the cursor, DCS/APC talk to the terminal itself) must never reach the owner's terminal raw.
// Two treatments: text from a peer is cleaned on receipt (sequences and controls removed), and
// everything a text door prints is escaped (controls shown as \xNN, so nothing is hidden either).

/**
 * A whole escape sequence: 7-bit (ESC …) or 8-bit C1 introducers. String sequences (OSC, DCS, SOS,
 * PM, APC) run to BEL or ST; an unterminated one runs to the end of the text.
 */
const SEQUENCE = new RegExp([
  '(?:\\u001b\\[|\\u009b)[\\u0030-\\u003f]*[\\u0020-\\u002f]*[\\u0040-\\u007e]?', // CSI
  '(?:\\u001b[\\]PX^_]|[\\u0090\\u0098\\u009d\\u009e\\u009f])[^\\u0007\\u001b\\u009c]*(?:\\u0007|\\u001b\\\\|\\u009c)?', // OSC, DCS, SOS, PM, APC
  '\\u001b[\\u0020-\\u002f]*[\\u0030-\\u007e]?' // any other ESC sequence (charset, keypad, reset …)
].join('|'), 'g')

/** C0 controls except tab and newline, DEL, C1 controls. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = new RegExp('[\\u0000-\\u0008\\u000b-\\u001f\\u007f-\\u009f]', 'g')
/** Bidi overrides and isolates reorder what is shown ("Trojan source"); shown escaped in a terminal. */
const BIDI = /[\u202a-\u202e\u2066-\u2069]/g
/** Characters JSON.stringify leaves raw that a terminal may still act on (C1, DEL, line separators, bidi). */
const JSON_UNSAFE = /[\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g

/**
 * Text received from a peer: escape sequences and control characters removed, tabs and newlines
 * kept (CRLF becomes LF). The result holds nothing a terminal acts on.
 */
export function cleanPeerText (text: string): string {
  return text.replace(/\r\n/g, '\n').replace(SEQUENCE, '').replace(CONTROL, '').replace(BIDI, '')
}

/**
 * Text a door prints to a terminal: every control character except tab and newline, and every
 * bidi override, shown as a visible escape (`\x1b`, `\u202e`), so a sequence is seen, never run.
 */
export function forTerminal (text: string): string {
  return text.replace(/\r\n/g, '\n').replace(CONTROL, hexEscape).replace(BIDI, unicodeEscape)
}

/**
 * JSON text for a terminal or a pipe: the same value (JSON allows \uXXXX for any character), with the
 * characters JSON.stringify leaves raw — C1 controls, DEL, U+2028/2029, bidi overrides — escaped.
 */
export function jsonForTerminal (json: string): string {
  return json.replace(JSON_UNSAFE, unicodeEscape)
}

function hexEscape (c: string): string {
  return `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`
}

function unicodeEscape (c: string): string {
  return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`
}

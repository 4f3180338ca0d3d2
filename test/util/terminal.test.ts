import { describe, expect, it } from 'vitest'
import { cleanPeerText, forTerminal, jsonForTerminal } from '../../src/util/terminal.js'

// Payloads a hostile peer or file might carry: set the window title (OSC 0), write the clipboard
// (OSC 52), clear the screen (CSI 2J), recolour (SGR), 8-bit CSI, a DCS string, a bidi override.
const OSC_TITLE = '\u001b]0;pwned\u0007'
const OSC_CLIPBOARD = '\u001b]52;c;cm0gLXJmIH4=\u001b\\'
const CLEAR = '\u001b[2J\u001b[H'
const SGR = '\u001b[31;1m'
const C1_CSI = '\u009b6n'
const DCS = '\u001bP1$r0m\u001b\\'
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const ESC_ANY = new RegExp('[\\u0000-\\u0008\\u000b-\\u001f\\u007f-\\u009f]')

describe('cleanPeerText', () => {
  it('removes whole escape sequences and controls, keeps tabs, newlines and the words', () => {
    const hostile = `${OSC_TITLE}${CLEAR}I sail${SGR} on\tLake Geneva${C1_CSI}\r\nevery ${OSC_CLIPBOARD}weekend${DCS}\u0008\u202e!`
    const clean = cleanPeerText(hostile)
    expect(clean).toBe('I sail on\tLake Geneva\nevery weekend!')
    expect(clean).not.toMatch(ESC_ANY)
  })

  it('drops an unterminated string sequence to the end instead of letting it swallow the terminal', () => {
    expect(cleanPeerText('ok \u001b]0;title without end')).toBe('ok ')
  })

  it('leaves ordinary text, accents and emoji alone', () => {
    const text = 'Zoë went to Malmö 🎉 — “quotes”\n\tindented'
    expect(cleanPeerText(text)).toBe(text)
  })
})

describe('forTerminal', () => {
  it('shows every control as a visible escape instead of running it', () => {
    const shown = forTerminal(`path/${OSC_TITLE}${CLEAR}x${C1_CSI}\u202e.txt`)
    expect(shown).not.toMatch(ESC_ANY)
    expect(shown).toBe('path/\\x1b]0;pwned\\x07\\x1b[2J\\x1b[Hx\\x9b6n\\u202e.txt')
    expect(forTerminal('a\tb\r\nc')).toBe('a\tb\nc')
  })
})

describe('jsonForTerminal', () => {
  it('escapes what JSON.stringify leaves raw, and the value parses back exactly', () => {
    const value = { text: `${OSC_TITLE}${C1_CSI}\u2028\u202e\u007f end` }
    const json = jsonForTerminal(JSON.stringify(value))
    expect(json).not.toMatch(ESC_ANY)
    expect(json).not.toMatch(/[\u2028\u202e]/)
    expect(JSON.parse(json)).toEqual(value)
  })
})

import '../../src/polyfill.js'
import { SecondMe } from '../../src/node.js'

// One crash-harness worker: opens the home and writes one kind of record in a loop, printing an
// acknowledgement line only after each write's promise resolved (what a user would have been told).
// The harness kills it with SIGKILL at a random moment. argv: home passphrase kind peer

const [home, passphrase, kind, peer] = process.argv.slice(2) as [string, string, string, string]
const ack = (line: Record<string, unknown>): void => { process.stdout.write(JSON.stringify(line) + '\n') }
const tag = `${process.pid}-${Date.now().toString(36)}`

if (kind === 'rotate') {
  ack({ ready: true })
  for (;;) ack({ kind, id: (await SecondMe.rotateKeys(home, passphrase)).peerId })
}

// Rotations between other writes: open, a few writes, close, rotate; again. A kill lands anywhere.
if (kind === 'mixed') {
  ack({ ready: true })
  for (let i = 0; ; i++) {
    const me = await SecondMe.open({ home, passphrase, memory: { embedder: null }, onRepair: () => {} })
    ack({ kind: 'ingest', id: (await me.memory.addText(`mixed note ${tag}-${i}: the kestrel hovered over field ${i % 7}`)).id })
    ack({ kind: 'grant', id: (await me.policy.issue({ aud: peer, actions: ['memory:read'], scope: { visibility: ['shareable'] }, durationSec: 3600 })).id })
    await me.close()
    ack({ kind: 'rotate', id: (await SecondMe.rotateKeys(home, passphrase)).peerId })
  }
}

const me = await SecondMe.open({ home, passphrase, memory: { embedder: null }, onRepair: () => {} })
ack({ ready: true })
const scope = { visibility: ['shareable' as const] }
for (let i = 0; ; i++) {
  if (kind === 'ingest') {
    ack({ kind, id: (await me.memory.addText(`crash note ${tag}-${i}: the heron stood in the reeds near pier ${i % 13}`)).id })
  } else if (kind === 'grant') {
    ack({ kind, id: (await me.policy.issue({ aud: peer, actions: ['memory:read'], scope, durationSec: 3600 })).id })
  } else if (kind === 'consent') {
    const asked = await me.policy.requestConsent(peer, { actions: ['converse'], scope, purpose: 'crash harness', durationSec: 3600 })
    if (asked.status !== 'pending') throw new Error(`expected a pending consent, got ${asked.status}`)
    ack({ kind, id: asked.ticket })
    const approved = await me.policy.approve(asked.ticket)
    ack({ kind: 'approve', id: asked.ticket, grant: approved.grantId })
  } else if (kind === 'audit') {
    const item = `crash-${tag}-${i}`
    await me.policy.appendAudit({ kind: 'disclose', decision: 'allow', peer, items: [item] })
    ack({ kind, id: item })
  } else {
    throw new Error(`unknown kind ${kind}`)
  }
}

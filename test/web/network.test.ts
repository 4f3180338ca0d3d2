import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { call, runOp } from '../../src/ops.js'
import { loginPath } from '../../src/http/dashboard/index.js'
import { SecondMe } from '../../src/node.js'
import { TEST_KDF, tempDir } from '../helpers/tmp.js'
import { launch, screenshot, seriousViolations, watchErrors } from './browser.js'
import { startTestServer, type TestServer } from './server.js'

// Two real Second Mes on the in-process memory transport; Alice steers hers from the dashboard.

let run = 0
async function node (dir: string, name: string, bootstrap: string[] = []): Promise<SecondMe> {
  const me = await SecondMe.init({ home: `${dir}/${name}`, passphrase: 'pw', displayName: name, kdf: TEST_KDF, memory: { embedder: null } })
  await me.start({ transport: 'memory', listen: [`/memory/sm-web-${process.pid}-${++run}-${name}`], bootstrap, simulation: true })
  return me
}

describe('dashboard with a second node', () => {
  let tmp: Awaited<ReturnType<typeof tempDir>>
  let alice: SecondMe
  let bob: SecondMe
  let server: TestServer
  let browser: Browser
  let page: Page
  let errors: string[]
  let ticket: string

  beforeAll(async () => {
    tmp = await tempDir('secondme-web-net-')
    alice = await node(tmp.path, 'alice')
    bob = await node(tmp.path, 'bob', [alice.net!.multiaddrs()[0]!])
    await alice.memory.addText('I sail on Lake Geneva every weekend in summer', { visibility: 'shareable', topics: ['sailing'] })
    await alice.memory.addText('My bank PIN for the weekend account is 4321', { visibility: 'private', topics: ['sailing'] })
    server = await startTestServer(alice)
    browser = await launch()
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } })
    page.setDefaultTimeout(10_000)
    errors = watchErrors(page)
    await page.goto(server.url + loginPath(server.token))
    await page.getByRole('heading', { name: 'Home', level: 1 }).waitFor()
  })

  afterAll(async () => {
    await browser?.close()
    await server?.close()
    await Promise.all([alice?.close(), bob?.close()])
    await tmp?.[Symbol.asyncDispose]()
  })

  it('approve a pending request from the second node, after seeing what it covers', async () => {
    const asked = await call(bob, 'introduce', { peer: alice.peerId, topics: ['sailing'], visibility: ['shareable'], purpose: 'sailing tips' })
    if (asked.status !== 'pending') throw new Error(`introduce: ${asked.status}`)
    ticket = asked.ticket
    await page.getByRole('link', { name: 'Consent & grants' }).click()
    await page.getByText('“sailing tips”', { exact: false }).waitFor()
    // One shareable sailing memory: the private one is not covered.
    await page.getByText(/It would cover 1 of your memories/).waitFor()
    expect(await seriousViolations(page)).toEqual([])
    await screenshot(page, 'consent-pending')
    await page.getByRole('button', { name: 'Approve' }).click()
    await page.getByText('No request is waiting.').waitFor()
    const granted = await call(bob, 'introduce', { peer: alice.peerId, ticket })
    expect(granted.status).toBe('granted')
    const answer = await call(bob, 'query', { peer: alice.peerId, text: 'weekend' })
    expect(answer.items.map(i => i.text)).toEqual(['I sail on Lake Geneva every weekend in summer'])
  })

  it('Network: the transcript of the peer agent\'s conversation, with the memory it was shown', async () => {
    const reply = await call(bob, 'converse', { peer: alice.peerId, message: 'Where do you sail on weekends?' })
    expect(reply.text).toContain('Lake Geneva')
    await page.getByRole('link', { name: 'Network' }).click()
    await page.getByText('bob\'s agent asked yours', { exact: false }).click()
    await page.getByText('Where do you sail on weekends?').waitFor()
    await page.getByText(/shown to the peer:/).waitFor()
    expect(await page.getByText('4321').count()).toBe(0)
    expect(await seriousViolations(page)).toEqual([])
    await screenshot(page, 'network-conversations')
    await page.getByRole('link', { name: 'Consent & grants' }).click()
  })

  it('revoke the grant and see the peer refused', async () => {
    await page.getByRole('button', { name: 'Refresh' }).click()
    const revoke = page.getByRole('button', { name: /^Revoke grant/ })
    await revoke.click()
    await page.getByRole('cell', { name: 'revoked' }).waitFor()
    await expect(runOp(bob, 'query', { peer: alice.peerId, text: 'weekend' })).rejects.toMatchObject({ code: 'E_GRANT_REVOKED' })
    await page.getByRole('link', { name: 'Audit' }).click()
    await page.getByRole('cell', { name: /E_GRANT_REVOKED/ }).first().waitFor()
    await screenshot(page, 'audit-refused')
  })

  it('Network shows the node, its peers and the grant graph', async () => {
    await page.getByRole('link', { name: 'Network' }).click()
    await page.getByRole('img', { name: /Graph of peers and grants/ }).waitFor()
    await page.getByText(/bob/).first().waitFor()
    expect(await seriousViolations(page)).toEqual([])
    await screenshot(page, 'network')
  })

  it('Home shows reachability and connected peers', async () => {
    await page.getByRole('link', { name: 'Home' }).click()
    await page.getByText(/1 peer\(s\) connected/).waitFor()
    expect(errors, errors.join('\n')).toEqual([])
  })
})

import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { call, runOp } from '../../src/ops.js'
import { loginPath } from '../../src/http/dashboard/index.js'
import { join } from 'node:path'
import { testHome, type TestHome } from '../agent/home.js'
import { REPO_ROOT } from '../helpers/tmp.js'
import { launch, screenshot, seriousViolations, watchErrors } from './browser.js'
import { startTestServer, type TestServer } from './server.js'

const PEER = '12D3KooWGzBqzvJQ8yYkWvZ2m3Yt2nE3kq1W8xRr2QeSxk1Vv9aB'

describe('dashboard in a real browser', () => {
  let home: TestHome
  let server: TestServer
  let browser: Browser
  let context: BrowserContext
  let page: Page
  let errors: string[]
  let sailing: string

  beforeAll(async () => {
    home = await testHome('Ada')
    // No speaker: the owner's own notes (what the bio is drawn from).
    const add = async (text: string, speaker?: string): Promise<string> => ((await call(home.me, 'remember', { text, time: '2023-05-08T13:56:00Z', ...(speaker === undefined ? {} : { speaker }) }))).id
    sailing = await add('I love sailing on the lake every summer with my sister.')
    await add('I work as a nurse at the city hospital, mostly night shifts.')
    await add('My pottery class starts on Monday.', 'Ben')
    await home.me.memory.addText('We sailed to the island in June and camped on the beach.', { topics: ['sailing'], time: '2023-06-10T10:00:00Z' })
    await home.me.memory.addText('The new sail for the dinghy arrived, bright orange.', { topics: ['sailing'], time: '2023-06-12T10:00:00Z', visibility: 'shareable' })
    await runOp(home.me, 'grant', { peer: PEER, actions: ['memory:read'], visibility: ['shareable'] })
    server = await startTestServer(home.me)
    browser = await launch()
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } })
    page = await context.newPage()
    page.setDefaultTimeout(10_000)
    errors = watchErrors(page)
  })

  afterAll(async () => {
    await browser?.close()
    await server?.close()
    await home?.[Symbol.asyncDispose]()
  })

  it('asks for a login, then a one-time link sets an HttpOnly SameSite=Strict session', async () => {
    const first = await page.goto(server.url)
    expect(first?.headers()['content-security-policy']).toContain("script-src 'self'")
    await expect(page.getByLabel('Bearer token').isVisible()).resolves.toBe(true)
    const link = server.url + loginPath(server.token)
    await page.goto(link)
    await page.getByRole('heading', { name: 'Home', level: 1 }).waitFor()
    const [cookie] = await context.cookies()
    expect(cookie).toMatchObject({ name: 'sm_session', httpOnly: true, sameSite: 'Strict' })
    // A used link does not work twice.
    const again = await fetch(link, { redirect: 'manual' })
    expect(again.status).toBe(401)
  })

  it('refuses a change without the CSRF token even with the session cookie', async () => {
    const status = await page.evaluate(async () => (await fetch('/api/forget', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"id":"x"}' })).status)
    expect(status).toBe(401)
  })

  it('Home shows the bio with its cited facts, stores and pending requests', async () => {
    await page.getByRole('heading', { name: 'Bio' }).waitFor()
    // The bio's sentences cite facts; each links to the memory the fact was drawn from.
    const cited = page.locator('ol.cited').getByRole('link', { name: 'source' }).first()
    await cited.waitFor()
    expect(await cited.getAttribute('href')).toMatch(/^#\/memories\?id=m/)
    await page.getByRole('cell', { name: 'memory-items' }).waitFor()
    expect(await seriousViolations(page)).toEqual([])
    await screenshot(page, 'home')
  })

  it('Memories: search as you type, open a memory and forget it', async () => {
    await page.getByRole('link', { name: 'Memories' }).click()
    await page.getByRole('heading', { name: 'Memories', level: 1 }).waitFor()
    await page.getByText('5 of 5 memories').waitFor()
    expect(await seriousViolations(page)).toEqual([])
    await page.getByLabel('Search', { exact: true }).pressSequentially('lake sister')
    await page.getByText(/1 of 5 memories match/).waitFor()
    await page.getByRole('list', { name: 'Memories' }).getByRole('button').first().click()
    await page.getByRole('heading', { name: 'Memory' }).waitFor()
    await screenshot(page, 'memories')
    await page.getByRole('button', { name: 'Forget…' }).click()
    await page.getByRole('button', { name: 'Forget for good' }).click()
    await page.getByText(/0 of 4 memories match/).waitFor()
    expect(home.me.memory.get(sailing)).toBeUndefined()
  })

  it('Audit: the log and its verified chain', async () => {
    await page.getByRole('link', { name: 'Audit' }).click()
    await page.getByRole('cell', { name: 'grant' }).first().waitFor()
    await page.getByRole('button', { name: 'Verify the audit chain' }).click()
    await page.getByText(/Chain verified: \d+ entries/).waitFor()
    expect(await seriousViolations(page)).toEqual([])
    await screenshot(page, 'audit')
  })

  it('Chat: an answer from memory whose citation opens the memory', async () => {
    await page.getByRole('link', { name: 'Chat' }).click()
    await page.getByLabel('Question').fill('Where did we camp in June?')
    await page.getByRole('button', { name: 'Ask' }).click()
    const cite = page.getByRole('link', { name: /^Source 1/ })
    await cite.waitFor()
    expect(await page.locator('.chat .a').first().textContent()).not.toBe('Second Me: …')
    expect(await seriousViolations(page)).toEqual([])
    await screenshot(page, 'chat')
    await cite.click()
    await page.getByRole('heading', { name: 'Memory' }).waitFor()
    await page.locator('.memory-text').getByText('camped on the beach').waitFor()
  })

  it('Facts & topics: change a topic\'s visibility through its preview', async () => {
    await page.getByRole('link', { name: 'Facts & topics' }).click()
    await page.getByRole('rowheader', { name: 'sailing' }).waitFor()
    expect(await seriousViolations(page)).toEqual([])
    await screenshot(page, 'topics')
    await page.getByLabel('New visibility of sailing').selectOption('public')
    await page.getByRole('button', { name: 'Preview visibility change of sailing' }).click()
    await page.getByText('2 of 2 memories in “sailing” would become public').waitFor()
    await page.getByRole('button', { name: 'Apply to sailing' }).click()
    await page.getByRole('row', { name: /sailing 2 public/ }).waitFor()
    expect(home.me.memory.list().filter(m => m.topics.includes('sailing')).map(m => m.visibility)).toEqual(['public', 'public'])
  })

  it('Facts & topics: declare a topic, rename it, merge it into another; the map shows them', async () => {
    await page.getByLabel('Topic', { exact: true }).fill('boats')
    await page.getByLabel('About (optional)').fill('sailing, the dinghy, the sail')
    await page.getByRole('button', { name: 'Declare' }).click()
    await page.getByText(/“boats” declared: \d+ memories/).waitFor()
    await page.getByRole('rowheader', { name: 'boats declared' }).waitFor()
    expect(home.me.memory.declaredTopics().map(t => t.label)).toContain('boats')
    await page.getByLabel('New name of boats').fill('sea')
    await page.getByRole('button', { name: 'Rename boats' }).click()
    await page.getByRole('rowheader', { name: 'sea declared' }).waitFor()
    await expect(page.getByRole('img', { name: /Map of topics: \d+ topics/ }).isVisible()).resolves.toBe(true)
    expect(await seriousViolations(page)).toEqual([])
    await page.getByLabel('Merge sea into').selectOption('sailing')
    await page.getByRole('button', { name: 'Merge sea' }).click()
    await page.getByRole('rowheader', { name: 'sea declared' }).waitFor({ state: 'detached' })
    expect(home.me.memory.declaredTopics().map(t => t.label)).not.toContain('sea')
    expect(home.me.memory.list().filter(m => m.topics.includes('sea'))).toEqual([])
    expect(home.me.memory.list().filter(m => m.topics.includes('sailing')).length).toBeGreaterThanOrEqual(2)
  })

  it('Network, Consent and Simulation pages render accessibly', async () => {
    for (const [link, file] of [['Network', 'network-offline'], ['Consent & grants', 'consent'], ['Simulation', 'simulation']] as const) {
      await page.getByRole('link', { name: link, exact: true }).click()
      await page.getByRole('heading', { name: link, level: 1 }).waitFor()
      expect(await seriousViolations(page), link).toEqual([])
      await screenshot(page, file)
    }
  })

  it('Simulation: open an existing report and see its charts', async () => {
    // A real report, written by `secondme simulate --nodes 2 --json` (a run takes ~30 s: too slow here).
    await page.getByLabel(/report.json from/).setInputFiles(join(REPO_ROOT, 'test', 'fixtures', 'sim-report.json'))
    await page.getByRole('heading', { name: /Report: 2 nodes/ }).waitFor()
    await page.getByRole('img', { name: /Lookup latency over time/ }).waitFor()
    expect(await seriousViolations(page)).toEqual([])
    await screenshot(page, 'simulation-report')
  })

  it('raised no page errors and no CSP violations', () => {
    expect(errors, errors.join('\n')).toEqual([])
  })
})

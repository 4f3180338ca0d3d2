import { render } from 'preact'
import { useEffect, useState } from 'preact/hooks'
import { checkSession, loginWithToken, logout } from './api.js'
import { AuditPage } from './pages/audit.js'
import { ChatPage } from './pages/chat.js'
import { ConsentPage } from './pages/consent.js'
import { HomePage } from './pages/home.js'
import { MemoriesPage } from './pages/memories.js'
import { NetworkPage } from './pages/network.js'
import { SimulationPage } from './pages/simulation.js'
import { TopicsPage } from './pages/topics.js'

const PAGES = [
  { path: 'home', title: 'Home', Page: HomePage },
  { path: 'memories', title: 'Memories', Page: MemoriesPage },
  { path: 'topics', title: 'Facts & topics', Page: TopicsPage },
  { path: 'chat', title: 'Chat', Page: ChatPage },
  { path: 'network', title: 'Network', Page: NetworkPage },
  { path: 'consent', title: 'Consent & grants', Page: ConsentPage },
  { path: 'audit', title: 'Audit', Page: AuditPage },
  { path: 'simulation', title: 'Simulation', Page: SimulationPage }
] as const

/** The hash route: `#/memories?id=abc` → { path: 'memories', query: id=abc }. */
function currentRoute (): { path: string, query: URLSearchParams } {
  const [path = '', query = ''] = location.hash.replace(/^#\/?/, '').split('?')
  return { path: path === '' ? 'home' : path, query: new URLSearchParams(query) }
}

function useRoute (): { path: string, query: URLSearchParams } {
  const [route, setRoute] = useState(currentRoute())
  useEffect(() => {
    const on = (): void => { setRoute(currentRoute()) }
    addEventListener('hashchange', on)
    return () => { removeEventListener('hashchange', on) }
  }, [])
  return route
}

function Login ({ onLogin }: { onLogin: () => void }) {
  const [error, setError] = useState('')
  const submit = async (e: Event): Promise<void> => {
    e.preventDefault()
    const token = new FormData(e.target as HTMLFormElement).get('token')
    if (typeof token === 'string' && await loginWithToken(token.trim())) onLogin()
    else setError('That token was not accepted.')
  }
  return (
    <main id="main" class="login">
      <h1>Second Me</h1>
      <p>Open the link printed by <code>secondme dashboard</code>, or paste the token from <code>secondme token</code>.</p>
      <form onSubmit={(e) => { void submit(e) }}>
        <label for="token">Bearer token</label>
        <input id="token" name="token" type="password" autocomplete="off" required />
        <button type="submit">Log in</button>
      </form>
      {error !== '' && <p role="alert" class="error">{error}</p>}
    </main>
  )
}

function Shell () {
  const route = useRoute()
  const page = PAGES.find(p => p.path === route.path) ?? PAGES[0]
  useEffect(() => { document.title = `${page.title} · Second Me` }, [page])
  return (
    <>
      <a class="skip" href="#main" onClick={(e) => { e.preventDefault(); document.getElementById('main')?.focus() }}>Skip to content</a>
      <header>
        <span class="brand">Second Me</span>
        <nav aria-label="Pages">
          <ul>
            {PAGES.map(p => <li key={p.path}><a href={`#/${p.path}`} aria-current={p === page ? 'page' : undefined}>{p.title}</a></li>)}
          </ul>
        </nav>
        <button type="button" class="link" onClick={() => { void logout().then(() => location.reload()) }}>Log out</button>
      </header>
      <main id="main" tabIndex={-1}>
        <page.Page query={route.query} />
      </main>
    </>
  )
}

function App () {
  const [state, setState] = useState<'checking' | 'in' | 'out'>('checking')
  useEffect(() => { void checkSession().then(ok => { setState(ok ? 'in' : 'out') }) }, [])
  if (state === 'checking') return <p class="loading">Loading…</p>
  return state === 'in' ? <Shell /> : <Login onLogin={() => { setState('in') }} />
}

const root = document.getElementById('app')
if (root !== null) {
  root.textContent = ''
  render(<App />, root)
}

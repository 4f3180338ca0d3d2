import { runOp, type OpContext, type OpName, type ResultOf, type UserParamsOf } from '../ops.js'
import { typedCaller, type RemoteCaller } from '../control/client.js'
import { defaultHome, homePaths, type HomePaths } from '../home.js'
import { SecondMe } from '../node.js'
import { readKeyring } from '../identity/keyfile.js'
import { getPassphrase } from './passphrase.js'
import type { Printer } from './output.js'
import { forTerminal, jsonForTerminal } from '../util/terminal.js'

export type { RemoteCaller } from '../control/client.js'
export type RemoteConnector = (paths: HomePaths) => Promise<RemoteCaller | undefined>

export interface GlobalOptions {
  home?: string
  json?: boolean
}

export interface CliIo {
  env: NodeJS.ProcessEnv
  stdin: NodeJS.ReadStream
  stdout: NodeJS.WriteStream
  stderr: NodeJS.WriteStream
}

/** What every command gets: resolved home, printer, passphrase source, and one way to call ops. */
export class CliContext {
  readonly io: CliIo
  readonly #globals: () => GlobalOptions
  readonly #connectRemote: RemoteConnector | undefined

  constructor (io: CliIo, globals: () => GlobalOptions, connectRemote?: RemoteConnector) {
    this.io = io
    this.#globals = globals
    this.#connectRemote = connectRemote
  }

  get home (): string {
    return this.#globals().home ?? defaultHome(this.io.env)
  }

  get paths (): HomePaths {
    return homePaths(this.home)
  }

  /** Every line goes through the terminal filter: memory text, peers' text and paths may hold escape sequences. */
  get printer (): Printer {
    const json = this.#globals().json === true
    const safe = json ? jsonForTerminal : forTerminal
    return {
      json,
      out: (text) => { this.io.stdout.write(safe(text) + '\n') },
      err: (text) => { this.io.stderr.write(safe(text) + '\n') }
    }
  }

  get interactive (): boolean {
    return this.io.stderr.isTTY === true && !this.printer.json
  }

  async passphrase (prompt = 'Passphrase: ', confirm = false): Promise<string> {
    return await getPassphrase(this.io, prompt, confirm)
  }

  /** Run an op: through the running node if one serves this home, else by opening the home here. */
  async call<N extends OpName> (name: N, params: UserParamsOf<N>, ctx: OpContext = {}): Promise<ResultOf<N>> {
    const remote = await this.#connectRemote?.(this.paths)
    // Either way the op named N runs through the registry, which validates params with its schema.
    if (remote !== undefined) return await typedCaller(remote)(name, params, ctx)
    return await this.withNode(async (me) => await typedCaller(async (n, p, c) => await runOp(me, n, p, c))(name, params, ctx))
  }

  /**
   * A control-channel request of the running node serving this home (not a registry op), or `local`
   * on the home opened here when no node runs.
   */
  async viaNode<T> (controlOp: string, params: unknown, local: (me: SecondMe) => Promise<T>): Promise<T> {
    const remote = await this.#connectRemote?.(this.paths)
    if (remote !== undefined) return await remote(controlOp, params, {}) as T
    return await this.withNode(local)
  }

  /**
   * One way to call ops for a long-lived door (`secondme mcp`): the running node if there is one,
   * else the home opened once here until `close`.
   */
  async opCaller (): Promise<{ call: RemoteCaller, close: () => Promise<void> }> {
    const remote = await this.#connectRemote?.(this.paths)
    if (remote !== undefined) return { call: remote, close: async () => {} }
    await readKeyring(this.paths.keyring)
    const me = await SecondMe.open({ home: this.home, passphrase: await this.passphrase() })
    return { call: async (name, params, ctx) => await runOp(me, name, params, ctx), close: async () => { await me.close() } }
  }

  /** Open the home in this process for the duration of `fn`. */
  async withNode<T> (fn: (me: SecondMe) => Promise<T>): Promise<T> {
    // Fail on a missing home before asking for a passphrase it could never open.
    await readKeyring(this.paths.keyring)
    const me = await SecondMe.open({ home: this.home, passphrase: await this.passphrase() })
    try {
      return await fn(me)
    } finally {
      await me.close()
    }
  }
}

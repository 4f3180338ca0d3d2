// libp2p 3.x calls Promise.withResolvers, which Node 20 lacks (Node 22 has it).
// Every entry point imports this module first; vitest loads it as a setup file.
interface Resolvers<T> {
  promise: Promise<T>
  resolve: (value: T | PromiseLike<T>) => void
  reject: (reason?: unknown) => void
}

type WithResolvers = <T>() => Resolvers<T>

const promiseCtor = Promise as unknown as { withResolvers?: WithResolvers }

if (typeof promiseCtor.withResolvers !== 'function') {
  promiseCtor.withResolvers = function withResolvers<T> (): Resolvers<T> {
    let resolve!: Resolvers<T>['resolve']
    let reject!: Resolvers<T>['reject']
    const promise = new Promise<T>((res, rej) => { resolve = res; reject = rej })
    return { promise, resolve, reject }
  }
}

export {}

/**
 * Text chunks of an op that streams (`onText`) and then resolves: a door reads the chunks in order,
 * then the result. An error before the first chunk can still become a plain HTTP error.
 */
export type StreamItem<R> = { kind: 'text', text: string } | { kind: 'done', result: R }

export class TextStream<R> implements AsyncIterable<StreamItem<R>> {
  readonly #items: Array<StreamItem<R>> = []
  #error: { err: unknown } | undefined
  #wake: (() => void) | undefined

  /** Run `work` with an `onText` that feeds this stream. */
  static of<R> (work: (onText: (chunk: string) => void) => Promise<R>): TextStream<R> {
    const stream = new TextStream<R>()
    work(text => { stream.#push({ kind: 'text', text }) }).then(
      result => { stream.#push({ kind: 'done', result }) },
      (err: unknown) => { stream.#error = { err }; stream.#wake?.() }
    )
    return stream
  }

  #push (item: StreamItem<R>): void {
    this.#items.push(item)
    this.#wake?.()
  }

  async next (): Promise<StreamItem<R>> {
    for (;;) {
      const item = this.#items.shift()
      if (item !== undefined) return item
      if (this.#error !== undefined) throw this.#error.err
      await new Promise<void>(resolve => { this.#wake = resolve })
      this.#wake = undefined
    }
  }

  async * [Symbol.asyncIterator] (): AsyncIterator<StreamItem<R>> {
    for (;;) {
      const item = await this.next()
      yield item
      if (item.kind === 'done') return
    }
  }
}

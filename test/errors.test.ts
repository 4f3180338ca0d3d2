import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ERROR_FAMILIES, ERRORS, errorFor, exitCodeFor, InputError, isErrorCode, ModelError, NetworkError, PolicyError, StorageError, type ErrorCode } from '../src/errors.js'
import { REPO_ROOT } from './helpers/tmp.js'

/** README's error table, as the table in src/errors.ts says it must read. */
function errorTable (): string {
  const rows = (Object.keys(ERRORS) as ErrorCode[]).map(code => {
    const { family, meaning } = ERRORS[code]
    return `| \`${code}\` | ${family} | ${ERROR_FAMILIES[family].exit} | ${meaning} |`
  })
  return ['| code | family | exit | meaning |', '|---|---|---|---|', ...rows].join('\n')
}

describe('the error table', () => {
  it('README lists every code with its family and exit status, as src/errors.ts has them', async () => {
    const readme = await readFile(join(REPO_ROOT, 'README.md'), 'utf8')
    expect(readme, `README's error table should read:\n${errorTable()}`).toContain(errorTable())
  })

  it('the class and exit status of an error come from its code', () => {
    const classes = { usage: InputError, input: InputError, storage: StorageError, policy: PolicyError, network: NetworkError, model: ModelError }
    for (const code of Object.keys(ERRORS) as ErrorCode[]) {
      const err = errorFor(code, 'x')
      const family = ERRORS[code].family
      if (family !== 'internal') expect(err, code).toBeInstanceOf(classes[family])
      expect(err.family).toBe(family)
      expect(exitCodeFor(err), code).toBe(ERROR_FAMILIES[family].exit)
    }
    expect(exitCodeFor(new StorageError('E_CLOSED', 'closed'))).toBe(66)
    expect(exitCodeFor(new Error('not ours'))).toBe(1)
    expect(isErrorCode('E_NOPE')).toBe(false)
  })
})

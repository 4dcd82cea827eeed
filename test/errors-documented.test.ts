// Every error code the package can raise has a row in docs/errors.md and a member in
// TgCallsErrorCode. The codes are read from the sources, so a new code without its row fails.
import * as fs from 'node:fs';
import * as path from 'node:path';

import { repoRoot } from './support/paths';

function sourceFiles(dir: string, extensions: string[]): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true, recursive: true })
    .flatMap((entry) =>
      entry.isFile() && extensions.includes(path.extname(entry.name))
        ? [path.join(entry.parentPath, entry.name)]
        : [],
    );
}

function matchesIn(files: string[], pattern: RegExp): Set<string> {
  const codes = new Set<string>();
  for (const file of files) {
    for (const match of fs.readFileSync(file, 'utf8').matchAll(pattern)) codes.add(match[1] ?? '');
  }
  return codes;
}

const nativeTests = path.join(repoRoot, 'native', 'test') + path.sep;
const nativeSources = sourceFiles(path.join(repoRoot, 'native'), ['.cpp', '.h']).filter(
  (file) => !file.startsWith(nativeTests),
);
// Codes the native code throws or emits: every string literal shaped like a code (the native
// sources use such literals for nothing else). ERR_* are Node's own codes of TypeError and
// RangeError, documented in the introduction of docs/errors.md.
const nativeCodes = new Set(
  [...matchesIn(nativeSources, /"([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)"/g)].filter(
    (code) => !code.startsWith('ERR_'),
  ),
);
// TypeScript checks that every `new TgCallsError(code, …)` uses a member of this union.
const unionSource = fs.readFileSync(path.join(repoRoot, 'lib', 'errors.ts'), 'utf8');
const typeScriptCodes = new Set(
  [...(/type TgCallsErrorCode =([^;]+);/.exec(unionSource)?.[1] ?? '').matchAll(/'(\w+)'/g)].map(
    (match) => match[1] ?? '',
  ),
);
const documentedCodes = matchesIn(
  [path.join(repoRoot, 'docs', 'errors.md')],
  /^\| `([A-Z][A-Z_]+)` +\|/gm,
);

describe('error codes', () => {
  it('finds the codes of the native core and of the TypeScript layer', () => {
    for (const code of [
      'COUNTER_EXHAUSTED',
      'KEY_RELEASED',
      'CALL_CONNECTION_FAILED',
      'MEDIA_FILE_INVALID',
    ]) {
      expect(nativeCodes).toContain(code);
    }
    expect(typeScriptCodes).toContain('NATIVE_ADDON_LOAD_FAILED');
    expect(typeScriptCodes.size).toBeGreaterThan(30);
  });

  it('has a row in docs/errors.md for every code raised natively or in TypeScript', () => {
    const undocumented = [...nativeCodes, ...typeScriptCodes].filter(
      (code) => !documentedCodes.has(code),
    );
    expect(undocumented).toEqual([]);
  });

  it('types every native code as a TgCallsErrorCode', () => {
    expect([...nativeCodes].filter((code) => !typeScriptCodes.has(code))).toEqual([]);
  });
});

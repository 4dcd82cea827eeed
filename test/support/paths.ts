import * as path from 'node:path';

export const repoRoot = path.resolve(__dirname, '..', '..');
/** The compiled package, as users load it (npm test compiles it before running jest). */
export const distEntry = path.join(repoRoot, 'dist', 'index.js');
export const vectorsDir = path.join(repoRoot, 'test', 'vectors');

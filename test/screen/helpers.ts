import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('../../../', import.meta.url));
export const fixtures = join(root, 'test', 'fixtures', 'sanctions');
export const cli = join(root, 'dist', 'src', 'cli', 'main.js');

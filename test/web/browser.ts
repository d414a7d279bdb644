/**
 * Debian's Chromium driven by playwright-core, for the web app's end-to-end tests. Headless, sandbox off
 * (CI runs as root), no background networking (this machine's network is closed), WebGL through SwiftShader.
 */
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM = process.env.RASTRO_CHROMIUM ?? '/usr/bin/chromium';
/** dist/web, built by `npm run build` (the test command builds first). */
export const WEB_ROOT = fileURLToPath(new URL('../../web', import.meta.url));
/** Screenshots and figures of the run, for review (not committed). */
export const OUTPUT_DIR = fileURLToPath(new URL('../../../test-output/web', import.meta.url));

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu-sandbox',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
];

/** Why the browser tests cannot run here, or undefined when they can. */
export function browserMissing(): string | undefined {
  if (!existsSync(CHROMIUM)) return `no Chromium at ${CHROMIUM} (apt-get install chromium, or set RASTRO_CHROMIUM)`;
  if (!existsSync(join(WEB_ROOT, 'index.html'))) return `the web app is not built (${WEB_ROOT}/index.html missing: npm run build)`;
  return undefined;
}

export async function launch(): Promise<Browser> {
  await mkdir(OUTPUT_DIR, { recursive: true });
  // RASTRO_CHROMIUM_ARGS (space-separated) replaces the flags, e.g. to compare renderers
  const args = process.env.RASTRO_CHROMIUM_ARGS ? process.env.RASTRO_CHROMIUM_ARGS.split(/\s+/).filter(Boolean) : CHROMIUM_ARGS;
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args, timeout: 60_000 });
}

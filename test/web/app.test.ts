/**
 * The analyst's day, end to end, in a real browser (Debian's Chromium via playwright-core) against
 * `rastro serve` on the demo world: sign in, dashboard, open an alert, disposition it, escalate to a case,
 * export goAML, explore the network 2 hops out, find a path, search; then the explorer's frame time at
 * 10,000 nodes / 50,000 edges. Screenshots of each screen and the measured figures go to test-output/web/.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startServer, type RunningServer } from '../../src/server/index.js';
import { browserMissing, launch, OUTPUT_DIR, WEB_ROOT } from './browser.js';

// page.evaluate callbacks run in the page; this is the little of the DOM they touch
declare const document: { querySelector(selector: string): { textContent: string | null } | null };
declare const window: object;

const missing = browserMissing();
if (missing) console.log(`# SKIP web end-to-end tests: ${missing}`);

interface GraphNode {
  id: string;
  hop: number;
}

describe('web app in Chromium', { skip: missing, timeout: 600_000 }, () => {
  let dir: string;
  let server: RunningServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let analyst: { username: string; password: string };
  const errors: string[] = [];
  const shot = (name: string) => page.screenshot({ path: join(OUTPUT_DIR, `${name}.png`), fullPage: false });

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rastro-web-'));
    server = await startServer({ db: join(dir, 'rastro.duckdb'), port: 0, webRoot: WEB_ROOT, log: () => undefined });
    const u = server.demoUsers?.find((x) => x.username === 'bank-analyst');
    assert.ok(u, 'the demo world has a bank analyst');
    analyst = u;
    browser = await launch();
    context = await browser.newContext({ viewport: { width: 1366, height: 820 }, acceptDownloads: true });
    page = await context.newPage();
    page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
    page.setDefaultTimeout(30_000);
    page.on('console', (m) => {
      if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) errors.push(`console: ${m.text()}`);
    });
    // every failed request, by URL; the only expected ones are the 401s of signing in
    page.on('response', (r) => {
      if (r.status() >= 400 && !(r.status() === 401 && /\/api\/auth\/(me|login)$/.test(r.url()))) errors.push(`${r.status()} ${r.request().method()} ${r.url()}`);
    });
  });

  after(async () => {
    await browser?.close();
    await server?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  test('sign in: a wrong password is refused, the right one opens the dashboard with the agency shown', async () => {
    await page.goto(server.url);
    await page.getByLabel('Username').fill(analyst.username);
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').waitFor();
    assert.match(await page.getByRole('alert').innerText(), /wrong username or password/);
    await shot('01-login');

    await page.getByLabel('Password').fill(analyst.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId('dashboard-kpis').waitFor();
    assert.match(await page.getByTestId('tenant-context').innerText(), /Banco Ejemplo/);
    await page.getByTestId('chart-over-time').locator('canvas').first().waitFor();
    await page.waitForTimeout(500);
    await shot('02-dashboard');
  });

  let alertId = '';
  let alertAccount = '';
  test('alert triage: the list is virtualised and sorted; an alert shows its explanation, transactions and subgraph', async () => {
    await page.getByRole('link', { name: 'Alerts', exact: true }).click();
    await page.getByTestId('alert-row').first().waitFor();
    const all = Number((await page.getByTestId('alert-count').innerText()).replace(/[^0-9]/g, ''));
    // a fan-in alert: several accounts, so its subgraph and the network around it have something to show
    await page.getByLabel('Typology').fill('fan-in');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.waitForURL(/typology=fan-in/);
    await page.waitForFunction((n) => {
      const c = Number(document.querySelector('[data-testid=alert-count]')?.textContent?.replace(/[^0-9]/g, '') ?? 0);
      return c > 0 && c < n;
    }, all);
    await page.getByTestId('alert-row').first().waitFor();
    assert.deepEqual(new Set(await page.locator('[data-testid=alert-row] [role=cell]:nth-child(2)').allInnerTexts()), new Set(['fan-in']));
    const count = Number((await page.getByTestId('alert-count').innerText()).replace(/[^0-9]/g, ''));
    assert.ok(count > 0, 'the demo world raised alerts');
    const rendered = await page.getByTestId('alert-row').count();
    assert.ok(rendered <= 80, `only visible rows are in the DOM (${rendered} of ${count})`);
    const scores = await page.locator('[data-testid=alert-row] .score').allInnerTexts();
    const nums = scores.map(Number);
    assert.deepEqual(nums, [...nums].sort((a, b) => b - a), 'highest score first');
    await shot('03-alerts');

    // keyboard: the first row takes focus, Enter opens it
    const first = page.getByTestId('alert-row').first();
    await first.focus();
    await page.keyboard.press('Enter');
    await page.getByTestId('alert-explanation').waitFor();
    alertId = decodeURIComponent(new URL(page.url()).pathname.split('/').pop()!);
    assert.ok(alertId.length > 0);
    await page.getByTestId('alert-subgraph').locator('circle').first().waitFor();
    await page.locator('[data-testid=alert-transactions] tbody tr').first().waitFor();
    const accounts = page.locator('main a[href^="/explore?"]');
    alertAccount = decodeURIComponent(new URL((await accounts.first().getAttribute('href'))!, server.url).searchParams.get('id')!);
    await shot('04-alert-detail');
  });

  let caseId = '';
  test('disposition: a short reason is refused; escalating with a reason opens the new case', async () => {
    await page.getByRole('button', { name: 'Assign to me' }).click();
    await page.getByText('Assigned to you.').waitFor();
    const submit = page.getByRole('button', { name: 'Escalate to a case' });
    await page.getByLabel('Reason (at least 10 characters)').fill('too short');
    assert.equal(await submit.isDisabled(), true);
    await page.getByLabel('Reason (at least 10 characters)').fill('Funds gathered from many strangers and passed on within hours: mule pattern.');
    await submit.click();
    await page.waitForURL(/\/cases\//);
    caseId = decodeURIComponent(new URL(page.url()).pathname.split('/').pop()!);
    await page.getByTestId('case-items-alert').getByText(alertId).waitFor();
    await page.getByTestId('case-timeline').locator('li').first().waitFor();

    const r = await page.evaluate(async (id) => (await fetch(`/api/alerts/${encodeURIComponent(id)}`)).json(), alertId);
    assert.equal((r as { status: string }).status, 'escalated');
    assert.equal((r as { caseId: string }).caseId, caseId);
  });

  test('case work: a note, an attachment, and the goAML export downloads a validated report', async () => {
    await page.getByLabel('New note').fill('Called the bank: the hub account was opened two weeks before.');
    await page.getByRole('button', { name: 'Add note' }).click();
    await page.getByTestId('case-notes').getByText('Called the bank').waitFor();

    await page.getByLabel('Attach a file').setInputFiles({ name: 'statement.txt', mimeType: 'text/plain', buffer: Buffer.from('account statement, March\n') });
    await page.getByTestId('case-attachments').getByText('statement.txt').waitFor();

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-goaml').click()]);
    const saved = join(OUTPUT_DIR, 'case-goaml.xml');
    await download.saveAs(saved);
    const xml = await readFile(saved, 'utf8');
    assert.match(xml, /^<\?xml/);
    assert.match(xml, /<report>/);
    assert.match(xml, /<report_code>STR<\/report_code>/);
    await page.getByTestId('case-notice').waitFor();
    await shot('05-case');
  });

  let hopTwo = '';
  test('network explorer: 2 hops out from an account of the alert, then a path between two accounts', async () => {
    await page.goto(`${server.url}/explore?kind=account&id=${encodeURIComponent(alertAccount)}&hops=2`);
    await page.getByTestId('explorer-canvas').waitFor();
    await page.waitForFunction(() => Number(document.querySelector('[data-testid=explorer-node-count]')?.textContent?.replace(/[^0-9]/g, '') ?? 0) > 1);
    const api = (await page.evaluate(
      async (id) => (await fetch(`/api/graph/neighbourhood?kind=account&id=${encodeURIComponent(id)}&hops=2`)).json(),
      alertAccount,
    )) as { nodes: GraphNode[]; edges: unknown[] };
    const shown = Number((await page.getByTestId('explorer-node-count').innerText()).replace(/[^0-9]/g, ''));
    assert.equal(shown, api.nodes.length, 'the explorer shows every node of the 2-hop neighbourhood');
    assert.ok(api.nodes.some((n) => n.hop === 2) || api.nodes.length > 1, 'the neighbourhood reaches past the start');
    hopTwo = (api.nodes.find((n) => n.hop === 2) ?? api.nodes.find((n) => n.hop === 1))!.id;
    await page.waitForTimeout(1500);
    await shot('06-explorer');

    await page.getByLabel('From id', { exact: true }).fill(alertAccount);
    await page.getByLabel('To id', { exact: true }).fill(hopTwo);
    await page.getByRole('button', { name: /find path/i }).click();
    const result = page.getByTestId('explorer-path-result');
    await result.waitFor();
    await page.waitForFunction(() => /hop/i.test(document.querySelector('[data-testid=explorer-path-result]')?.textContent ?? ''));
    assert.match(await result.innerText(), /hop/i);
    await shot('07-explorer-path');
  });

  test('search finds the account and the case', async () => {
    await page.getByTestId('global-search').fill(caseId);
    await page.getByTestId('global-search').press('Enter');
    await page.getByTestId('search-results').getByText(caseId).first().waitFor();
    await page.getByTestId('global-search').fill(alertAccount);
    await page.getByTestId('global-search').press('Enter');
    await page.getByTestId('search-results').waitFor();
    assert.match(await page.getByTestId('search-results').innerText(), new RegExp(alertAccount.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
    await shot('08-search');
  });

  test('explorer performance: 10,000 nodes and 50,000 edges render and stay interactive (frame time reported)', async () => {
    await page.goto(`${server.url}/explore`);
    await page.getByTestId('explorer-canvas').waitFor();
    await page.waitForFunction(() => 'rastroExplorer' in window || '__rastroExplorer' in window);
    const t0 = Date.now();
    await page.evaluate(async () => {
      // a deterministic graph: 10,000 accounts, 50,000 transfers, a few hubs, tags and typologies
      let seed = 7;
      const rnd = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296;
      const tags = ['market', 'mixer', 'exchange', 'sanctioned'];
      const typologies = ['fan-in', 'fan-out', 'cycle', 'scatter-gather', 'mule-pass-through'];
      const nodes = Array.from({ length: 10_000 }, (_, i) => ({
        id: `N${i}`,
        kind: i % 50 === 0 ? 'wallet' : 'account',
        label: `N${i}`,
        hop: i === 0 ? 0 : 1 + (i % 3),
        risk: rnd() < 0.1 ? rnd() : 0,
        typologies: rnd() < 0.05 ? [typologies[i % typologies.length]] : [],
        tags: i % 50 === 0 ? [tags[i % tags.length]] : [],
        alerts: 0,
        tlp: 'AMBER',
      }));
      const edges = [];
      const seen = new Set<string>();
      const t0 = Date.UTC(2022, 8, 1);
      while (edges.length < 50_000) {
        const s = rnd() < 0.2 ? Math.floor(rnd() * 50) : Math.floor(rnd() * 10_000);
        const d = Math.floor(rnd() * 10_000);
        const id = `N${s}->N${d}`;
        if (s === d || seen.has(id)) continue;
        seen.add(id);
        const first = t0 + Math.floor(rnd() * 90) * 86_400_000;
        edges.push({ id, source: `N${s}`, target: `N${d}`, count: 1 + Math.floor(rnd() * 5), amountMinor: Math.floor(rnd() * 1e8), currency: 'USD', amountUsd: rnd() * 1e6, firstTime: new Date(first).toISOString(), lastTime: new Date(first + 3_600_000).toISOString(), typologies: [] });
      }
      const hook = (window as unknown as { __rastroExplorer: { load(g: unknown): Promise<void> } }).__rastroExplorer;
      await hook.load({ nodes, edges, center: 'N0' });
    });
    const loadMs = Date.now() - t0;
    await page.waitForFunction(() => Number(document.querySelector('[data-testid=explorer-node-count]')?.textContent?.replace(/[^0-9]/g, '') ?? 0) === 10_000);
    const stats = await page.evaluate(() => (window as unknown as { __rastroExplorer: { stats(): { nodes: number; edges: number } } }).__rastroExplorer.stats());
    assert.equal(stats.nodes, 10_000);
    assert.equal(stats.edges, 50_000);
    const frames = await page.evaluate(() =>
      (window as unknown as { __rastroExplorer: { measureFrames(ms: number): Promise<{ frames: number; meanMs: number; p95Ms: number; maxMs: number }> } }).__rastroExplorer.measureFrames(3000),
    );
    // responsiveness: a click is answered while the graph is on screen
    const clickStart = Date.now();
    await page.getByTestId('explorer-export-svg').focus();
    const inputLatencyMs = Date.now() - clickStart;
    await shot('09-explorer-10k');
    const report = { nodes: stats.nodes, edges: stats.edges, loadMs, ...frames, fps: frames.meanMs > 0 ? 1000 / frames.meanMs : 0, inputLatencyMs };
    await writeFile(join(OUTPUT_DIR, 'explorer-performance.json'), `${JSON.stringify(report, null, 2)}\n`);
    console.log(
      `# explorer 10k nodes / 50k edges: load ${loadMs} ms; ${frames.frames} frames in 3 s, mean ${frames.meanMs.toFixed(1)} ms (${report.fps.toFixed(1)} fps), p95 ${frames.p95Ms.toFixed(1)} ms, max ${frames.maxMs.toFixed(1)} ms; focus answered in ${inputLatencyMs} ms`,
    );
    assert.ok(frames.frames > 0, 'frames were drawn while the camera moved');
  });

  test('no page errors', () => {
    assert.deepEqual(errors, []);
  });
});

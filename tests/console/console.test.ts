// The agent console in a real browser (Debian's chromium through playwright-core): an agent signs in, a complaint made
// through /v1/converse appears in the open queue within two seconds without a reload, its waiting time ticks, the
// agent opens and accepts it with the keyboard alone, switches to English, and a screenshot is taken.
import { mkdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { converse, startTestServer, type TestServer } from '../helpers/server.ts';

const TOKEN = 'sanne-token-0123456789abcdef';
const VIEWER_TOKEN = 'wand-token-0123456789abcdef';
const SCREENSHOTS = process.env.LOKET_SCREENSHOT_DIR ?? join(tmpdir(), 'loket-console-screenshots');

let server: TestServer;
let browser: Browser;
const problems: string[] = [];

async function openConsole(): Promise<Page> {
  const context = await browser.newContext({ locale: 'nl-NL', viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page: ${error.message}`));
  // Any Content-Security-Policy violation is reported as a console error, so the strict policy is known to hold.
  await page.addInitScript(
    "document.addEventListener('securitypolicyviolation', (event) => console.error('CSP violation: ' + event.violatedDirective + ' ' + event.blockedURI));",
  );
  await page.goto(`${server.url}/console`);
  return page;
}

async function signIn(page: Page, token: string) {
  await page.getByLabel('Medewerkerstoken').fill(token);
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: 'Wachtrij' }).waitFor();
  await page.locator('#connection.is-live').waitFor();
}

beforeAll(async () => {
  server = await startTestServer({
    LOKET_AGENT_TOKENS: `sanne:${TOKEN},wand:${VIEWER_TOKEN}:viewer`,
  });
  browser = await chromium.launch({
    executablePath: process.env.LOKET_CHROMIUM ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  mkdirSync(SCREENSHOTS, { recursive: true });
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('the agent console', () => {
  it('is served with a strict Content-Security-Policy', async () => {
    const response = await fetch(`${server.url}/console/`);
    expect(response.status).toBe(200);
    const policy = response.headers.get('content-security-policy') ?? '';
    expect(policy).toContain("default-src 'none'");
    expect(policy).toContain("script-src 'self'");
    expect(policy).not.toContain('unsafe-inline');
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    const html = await response.text();
    expect(html).not.toMatch(/<script>(?!<)|style="/);
    expect((await fetch(`${server.url}/console/nothing.js`)).status).toBe(404);
  });

  it('refuses a wrong token with a clear message', async () => {
    const page = await openConsole();
    await page.getByLabel('Medewerkerstoken').fill('not-the-right-token-at-all');
    await page.getByRole('button', { name: 'Aanmelden' }).click();
    await expect.poll(() => page.locator('#sign-in-error').textContent()).toMatch(/kennen we niet/);
    await page.context().close();
    // The browser logs the refused sign-in (401) as a failed resource: expected here, and only here.
    problems.splice(0, problems.length, ...problems.filter((problem) => !/status of 401/.test(problem)));
  });

  it('shows a new complaint live, lets the agent accept it by keyboard, and takes a screenshot', async () => {
    const page = await openConsole();
    await signIn(page, TOKEN);
    expect(await page.locator('#queue-empty').isVisible()).toBe(true);

    // Customers who came in while nobody was looking are in the list too.
    await converse(server.url, {
      sessionId: 'console-earlier',
      locale: 'nl-NL',
      text: 'ik wil mijn abonnement opzeggen',
    });
    const sent = Date.now();
    const { json: reply } = await converse(server.url, {
      sessionId: 'console-1',
      locale: 'nl-NL',
      callerId: '+31612345678',
      text: 'ik wil een klacht indienen over de monteur die vorige week kwam',
    });
    const item = page.locator(`#queue-list .item[data-id="${reply.handoff.id}"]`);
    await item.waitFor({ timeout: 2000 });
    const appearedAfter = Date.now() - sent;
    expect(appearedAfter).toBeLessThan(2000);
    console.info(`console: the new handoff was on screen ${appearedAfter} ms after the turn was sent`);
    await expect.poll(() => item.textContent()).toMatch(/klacht indienen/);
    await page.locator('#queue-list .item').nth(1).waitFor();

    // The waiting time ticks without a reload.
    const elapsed = item.locator('.elapsed');
    const first = await elapsed.textContent();
    expect(first).toMatch(/^wacht \d+ s$/);
    await expect.poll(() => elapsed.textContent(), { timeout: 3000 }).not.toBe(first);

    // Keyboard only: into the list, down to the complaint with j, open it with Enter, accept with Enter.
    await page.locator('#queue-list .item').first().focus();
    await page.keyboard.press('j');
    expect(await page.evaluate("document.activeElement?.getAttribute('data-id')")).toBe(reply.handoff.id);
    await page.keyboard.press('Enter');
    await expect.poll(() => page.evaluate('document.activeElement?.id')).toBe('detail-title');
    const detail = page.locator('#detail-body');
    await expect.poll(() => detail.textContent()).toMatch(/Klant wil een klacht indienen/);
    const text = (await detail.textContent()) ?? '';
    expect(text).toMatch(/Vraag voor een medewerker/);
    expect(text).toMatch(/complaints/);
    expect(text).toMatch(/Complaint/);
    expect(text).toMatch(/ik wil een klacht indienen over de monteur/);
    expect(text).toMatch(/Negatief|Neutraal|Positief/);
    expect(text).not.toMatch(/612345678/);
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement?.id')).toBe('accept');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('#action-message').textContent()).toMatch(/Aangenomen/);
    // Focus moves on to the note, ready to resolve.
    expect(await page.evaluate('document.activeElement?.id')).toBe('note');
    const stored = await server.runtime.deps.records.getHandoff(reply.handoff.id);
    expect(stored).toMatchObject({ status: 'accepted', agent: { acceptedBy: 'sanne' } });

    // The waiting filter no longer shows it; "my customers" does.
    await expect.poll(() => item.count()).toBe(0);
    await page.getByRole('button', { name: 'Mijn klanten' }).click();
    await item.waitFor();

    const screenshot = join(SCREENSHOTS, 'console-accepted-nl.png');
    await page.screenshot({ path: screenshot, fullPage: true });
    expect(statSync(screenshot).size).toBeGreaterThan(10_000);

    // The same console in English.
    await page.getByRole('button', { name: 'EN', exact: true }).click();
    await page.getByRole('heading', { name: 'Queue' }).waitFor();
    expect(await page.evaluate('document.documentElement.lang')).toBe('en');
    await expect.poll(() => page.locator('#detail-body').textContent()).toMatch(/Needs a colleague/);
    await page.locator('#note').fill('Klacht opgenomen, monteur komt terug.');
    await page.locator('#note').press('Tab');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('#action-message').textContent()).toBe('Resolved.');
    expect((await server.runtime.deps.records.getHandoff(reply.handoff.id))?.status).toBe('resolved');
    await page.screenshot({ path: join(SCREENSHOTS, 'console-resolved-en.png'), fullPage: true });
    await page.context().close();
    expect(problems).toEqual([]);
  });

  it('shows a read-only viewer the queue without any action buttons', async () => {
    const page = await openConsole();
    await signIn(page, VIEWER_TOKEN);
    const { json: reply } = await converse(server.url, {
      sessionId: 'console-viewer',
      locale: 'en-US',
      text: 'i want to file a complaint',
    });
    const item = page.locator(`#queue-list .item[data-id="${reply.handoff.id}"]`);
    await item.waitFor({ timeout: 2000 });
    await item.click();
    await expect
      .poll(() => page.locator('#detail-body').textContent())
      .toMatch(/Customer wants to file a complaint/);
    expect(await page.locator('#accept').count()).toBe(0);
    expect(await page.locator('#detail-body').textContent()).toMatch(/alleen meekijken/);
    await page.context().close();
    expect(problems).toEqual([]);
  });
});

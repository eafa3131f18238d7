import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from './support/child-process';
import { testKeys } from './support/gateway-keys';
import { type SeededGateway, startSeededGateway } from './support/seeded-gateway';

const chromiumPath = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const artifacts = join(repoRoot, 'test-artifacts');

const loggedEndpointYaml = `  logged:
    targets:
      - provider: upstream
        model: gpt-4o-mini
    guardrails:
      request: [pii-mask]
    allow:
      groups: [eng]
    payload_logging:
      enabled: true
      retention_days: 3
`;

// The dashboard in a real headless Chromium, showing what real requests in this test produced.
describe('usage dashboard (/ui) in headless Chromium', () => {
  let seeded: SeededGateway | undefined;
  let baseUrl: string;
  let browser: Browser;
  let page: Page;
  let loggedRequestId = '';

  beforeAll(async () => {
    seeded = await startSeededGateway({
      tmpPrefix: 'aigw-dashboard-',
      extraEndpointsYaml: loggedEndpointYaml,
      prompts: {
        chat: ['first', 'second'],
        logged: 'write to carol@example.com',
        strict: 'mail dave@example.com',
        bob: 'hello',
      },
    });
    baseUrl = seeded.baseUrl;
    loggedRequestId = seeded.loggedRequestId;

    browser = await chromium.launch({
      executablePath: chromiumPath,
      // The test may run as root in a container, where Chromium's sandbox cannot start.
      args: ['--no-sandbox', '--disable-dev-shm-usage'],
    });
    page = await browser.newPage({ viewport: { width: 1400, height: 1800 } });
  });

  afterAll(async () => {
    await browser?.close();
    await seeded?.close();
  });

  async function logIn(key: string): Promise<void> {
    await page.goto(`${baseUrl}/ui`);
    await page.fill('#login-key', key);
    await page.click('#login-form button[type=submit]');
  }

  const valueOf = (selector: string) =>
    page.locator(selector).first().getAttribute('data-value').then(Number);

  it('refuses a key without the analytics role', async () => {
    await logIn(testKeys.alice);
    await expect
      .poll(() => page.textContent('#login-error'))
      .toContain('The admin or analytics role is required.');
    expect(await page.isVisible('#dashboard')).toBe(false);
  });

  it('logs in with an admin key and draws the charts from the requests made above', async () => {
    await logIn(testKeys.admin);
    await page.waitForSelector('body[data-loaded]');
    // The key is held by the tab, not the URL.
    expect(page.url()).not.toContain(testKeys.admin);
    const stored: unknown = await page.evaluate("sessionStorage.getItem('aigw.dashboard.key')");
    expect(stored).toBe(testKeys.admin);

    // Cost over time, stacked by team: by requests, then by cost.
    await page.selectOption('#cost-metric', 'request_count');
    await page.waitForSelector('#cost-chart rect[data-series="search"][data-value="4"]');
    expect(await valueOf('#cost-chart rect[data-series="ads"]')).toBe(1);
    await page.selectOption('#cost-metric', 'total_cost_usd');
    await expect.poll(() => valueOf('#cost-chart rect[data-series="search"]')).toBeGreaterThan(0);
    await page.selectOption('#cost-by', 'model');
    await page.waitForSelector('#cost-chart rect[data-series="gpt-4o-mini"]');

    expect(await valueOf('#top-chart rect[data-label="alice"]')).toBe(4);
    expect(await valueOf('#top-chart rect[data-label="bob"]')).toBe(1);
    expect(await valueOf('#errors-chart rect[data-label="strict errors"]')).toBe(100);
    expect(await valueOf('#errors-chart rect[data-label="chat fallbacks"]')).toBe(100);
    expect(await valueOf('#latency-chart rect[data-label="chat p50"]')).toBeGreaterThan(0);
    expect(await valueOf('#latency-chart rect[data-label="chat p99"]')).toBeGreaterThanOrEqual(
      await valueOf('#latency-chart rect[data-label="chat p50"]'),
    );
    expect(await valueOf('#guardrails-chart rect[data-label="pii-block: blocked"]')).toBe(1);
    expect(await valueOf('#guardrails-chart rect[data-label="pii-mask: masked"]')).toBe(1);
    expect(await page.textContent('#mcp-chart')).toContain('no data');
    expect(await page.locator('#requests-table tbody tr').count()).toBe(5);

    mkdirSync(artifacts, { recursive: true });
    await page.screenshot({ path: join(artifacts, 'dashboard.png'), fullPage: true });
  });

  it('finds requests and opens one request timeline with its masked payload', async () => {
    await page.fill('#search', 'bob');
    await page.click('#search-form button[type=submit]');
    await expect.poll(() => page.locator('#requests-table tbody tr').count()).toBe(1);
    expect(await page.textContent('#requests-table tbody tr')).toContain('private');

    await page.fill('#search', loggedRequestId);
    await page.click('#search-form button[type=submit]');
    await page.click(`#requests-table tbody tr[data-request-id="${loggedRequestId}"]`);
    await page.waitForSelector('#timeline-events li[data-type="request.completed"]');
    expect(await page.locator('#timeline-events li[data-type="request.received"]').count()).toBe(1);
    const sent = await page.textContent('#payload-request');
    expect(sent).toContain('[EMAIL_1]');
    expect(sent).not.toContain('carol@example.com');
    await page.screenshot({ path: join(artifacts, 'dashboard-timeline.png'), fullPage: true });
  });
});

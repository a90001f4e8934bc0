import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { run } from '../cli/run.js';
import { FIXTURES } from '../helpers/project.js';

// The HTML upgrade plan rendered by a real browser (Debian's chromium, installed by .ci/run): the page has the
// steps and findings the run reported, and nothing is wider than the window, on a desktop and on a phone.

const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => fs.existsSync(p));
const TIMEOUT = 60_000;

/** Appended to a copy of the report: measures the laid-out page and leaves the result in the DOM for --dump-dom. */
const PROBE = `<script>
(() => {
  const vw = document.documentElement.clientWidth;
  const wide = [...document.querySelectorAll('body *')]
    // Outside the window, or content spilling out of its own box (an unwrapped line in a <pre>).
    .filter((e) => e.getBoundingClientRect().right > vw + 0.5 || e.getBoundingClientRect().left < -0.5 || (e.clientWidth > 0 && e.scrollWidth > e.clientWidth + 1))
    .map((e) => e.tagName.toLowerCase() + (e.className ? '.' + e.className : ''));
  const out = document.createElement('script');
  out.type = 'application/json';
  out.id = 'probe';
  out.textContent = JSON.stringify({
    vw,
    scrollWidth: document.documentElement.scrollWidth,
    wide,
    h1: [...document.querySelectorAll('h1')].map((e) => e.textContent),
    h2: [...document.querySelectorAll('h2')].map((e) => e.textContent),
    findings: document.querySelectorAll('li.finding').length,
    checkboxes: document.querySelectorAll('input[type=checkbox]').length,
    links: [...document.querySelectorAll('li.finding a')].slice(0, 2).map((a) => a.getAttribute('href')),
    fontSize: getComputedStyle(document.querySelector('.message')).fontSize,
  });
  document.body.appendChild(out);
})();
</script>`;

interface Probe {
  vw: number;
  scrollWidth: number;
  wide: string[];
  h1: string[];
  h2: string[];
  findings: number;
  checkboxes: number;
  links: string[];
  fontSize: string;
}

function chromium(dir: string, args: string[]): string {
  if (!CHROMIUM) throw new Error('chromium missing');
  const flags = [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--hide-scrollbars',
    `--user-data-dir=${fs.mkdtempSync(path.join(dir, 'profile-'))}`,
  ];
  return execFileSync(CHROMIUM, [...flags, ...args], { encoding: 'utf8', timeout: TIMEOUT, stdio: ['ignore', 'pipe', 'ignore'] });
}

function probe(dir: string, html: string, width: number, height: number): Probe {
  const file = path.join(dir, `probe-${width}.html`);
  fs.writeFileSync(file, html.replace('</body>', `${PROBE}\n</body>`));
  const dom = chromium(dir, [`--window-size=${width},${height}`, '--dump-dom', `file://${file}`]);
  const json = /<script type="application\/json" id="probe">([\s\S]*?)<\/script>/.exec(dom)?.[1];
  if (!json) throw new Error(`no probe result in the dumped DOM:\n${dom.slice(0, 500)}`);
  return JSON.parse(json) as Probe;
}

describe.skipIf(!CHROMIUM)('the HTML upgrade plan in headless Chromium', () => {
  let dir: string;
  let html: string;
  let findings: number;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'celery-lint-chromium-'));
    fs.cpSync(path.join(FIXTURES, 'celery31-django'), path.join(dir, 'celery31-django'), { recursive: true });
    const args = ['migrate-check', 'celery31-django', '--to', '5.5', '--no-cache'];
    const r = await run([...args, '--report', 'plan.html'], dir);
    expect(r.code).toBe(1);
    html = fs.readFileSync(path.join(dir, 'plan.html'), 'utf8');
    findings = (JSON.parse((await run([...args, '--output-format', 'json'], dir)).stdout) as unknown[]).length;
  }, TIMEOUT);

  it('shows the steps, every finding with a checkbox, and no horizontal overflow at 1200 px', () => {
    const p = probe(dir, html, 1200, 1600);
    expect(p.vw).toBe(1200);
    expect(p.scrollWidth).toBe(1200);
    expect(p.wide).toEqual([]);
    expect(p.h1).toEqual(['Celery upgrade plan: 3.1.25 → 5.5']);
    expect(p.h2).toEqual(['Summary', 'Step 1: Celery 3.1 → 4.0', 'Step 2: Celery 4.x → 5.0', 'Step 3: Celery 5.0 → 5.5']);
    expect(findings).toBeGreaterThan(10);
    expect(p.findings).toBe(findings);
    // Each finding, plus three to-do items (pin, re-check, deploy) per step.
    expect(p.checkboxes).toBe(findings + 3 * 3);
    expect(p.links).toEqual(['celery31-django/proj/settings.py#L61', 'celery31-django/proj/settings.py#L66']);
    expect(p.fontSize).toBe('15px');
  }, TIMEOUT);

  // 500 px: the narrowest window headless Chromium opens.
  it('wraps long messages, paths and source lines in a narrow window', () => {
    const p = probe(dir, html, 500, 900);
    expect(p.vw).toBe(500);
    expect(p.scrollWidth).toBe(500);
    expect(p.wide).toEqual([]);
  }, TIMEOUT);

  it('renders to a screenshot of the window size', () => {
    const shot = path.join(dir, 'plan.png');
    chromium(dir, ['--window-size=1200,1600', `--screenshot=${shot}`, `file://${path.join(dir, 'plan.html')}`]);
    const png = fs.readFileSync(shot);
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    // IHDR: width and height, big-endian, right after the signature and the chunk header.
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([1200, 1600]);
    expect(png.length).toBeGreaterThan(50_000);
  }, TIMEOUT);
});

if (!CHROMIUM) it.skip('the HTML upgrade plan in headless Chromium: skipped, chromium is not installed (apt-get install chromium; .ci/run installs it)', () => {});

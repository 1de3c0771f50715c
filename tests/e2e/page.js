// Browser checks of the page around the canvas (issue #11): screen-reader regions, the DOM
// controls and keys, the example clips, the manifest, and offline use through the service
// worker with a build replaced as a whole. Called by e2e.js with its helpers in `t`:
// { args, check, skip, state, waitIdle, openFile, startServer, report }.
'use strict';
const fs = require('fs');
const path = require('path');
const { execFileSync } = require('child_process');

const STAGE = path.join(__dirname, '..', '..', 'src', 'app', 'stage_web.py');

async function hasExport(page, name) {
  return page.evaluate((n) => typeof window.Module[n] === 'function', name);
}

function readJson(file) { return JSON.parse(fs.readFileSync(file, 'utf8')); }

// ---- regions and controls ----
async function checkRegions(t, page) {
  const roles = await page.evaluate(() => ({
    polite: document.getElementById('status').getAttribute('aria-live'),
    alert: document.getElementById('alert').getAttribute('role'),
    hook: typeof window.serHost.announce,
  }));
  t.check('a polite live region and an alert region, fed by serHost.announce',
    roles.polite === 'polite' && roles.alert === 'alert' && roles.hook === 'function', roles);
}

// The controls are out of sight until one has the focus; Tab reaches them first.
async function checkFocusable(t, page) {
  await page.evaluate(() => document.activeElement && document.activeElement.blur());
  const hidden = await page.locator('#controls').boundingBox();
  await page.keyboard.press('Tab');
  const first = await page.evaluate(() => document.activeElement.id);
  await page.focus('#ctl-open');
  const shown = await page.locator('#controls').boundingBox();
  t.check('hidden controls: out of sight, first in the tab order, shown with the focus',
    hidden.width <= 1 && /^ctl-(record|open)$/.test(first) && shown.width > 20, { hidden, first, shown });
}

async function checkLabels(t, page) {
  const count = async (role, name) => page.getByRole(role, { name, exact: true }).count();
  const found = { open: await count('button', 'Open a file'), model: await count('combobox', 'Choose a model') };
  t.check('controls labelled "Open a file" and "Choose a model"', found.open === 1 && found.model === 1, found);
  if (!(await hasExport(page, '_ser_toggle_record'))) {
    t.skip('control labelled "Record / stop"', 'the app has no ser_toggle_record export yet');
    return;
  }
  t.check('control labelled "Record / stop"', (await count('button', 'Record / stop')) === 1);
}

// The picker opens (a file chooser event) and the chosen file is analysed.
async function openThroughChooser(t, page, trigger, file) {
  const chooser = page.waitForEvent('filechooser', { timeout: 5000 });
  await trigger();
  await (await chooser).setFiles(file);
  await page.waitForFunction((n) => window.serState().source === n, path.basename(file), { timeout: 20000 });
  return t.waitIdle(page);
}

async function checkOpenControls(t, page, clip) {
  let s = await openThroughChooser(t, page, async () => { await page.focus('#ctl-open'); await page.keyboard.press('Enter'); }, clip);
  t.check('the "Open a file" control opens the picker and the file is classified', s.label !== null && !s.error,
    { source: s.source, label: s.label, error: s.error });
  const copy = path.join(t.args.artifacts, 'by-key-' + path.basename(clip));
  fs.copyFileSync(clip, copy);
  s = await openThroughChooser(t, page, async () => { await page.evaluate(() => document.activeElement.blur()); await page.keyboard.press('o'); }, copy);
  t.check('the O key opens the picker', s.source === path.basename(copy) && s.label !== null, { source: s.source, label: s.label });
  await page.focus('#ctl-model');
  const opened = page.waitForEvent('filechooser', { timeout: 1000 }).then(() => true, () => false);
  await page.keyboard.press('o');
  t.check('keys do nothing in a form field', !(await opened));
  await page.evaluate(() => document.activeElement.blur());
}

async function checkModelSelect(t, page) {
  const s = await t.state(page);
  const options = await page.$$eval('#ctl-model option', (os) => os.map((o) => o.value));
  const other = s.models.find((m) => m !== s.model);
  let switched = null;
  if (other) {
    await page.focus('#ctl-model');
    await page.selectOption('#ctl-model', other);
    switched = (await t.state(page)).model;
    await page.selectOption('#ctl-model', s.model);
    await page.waitForFunction(() => !window.serState().busy, null, { timeout: 20000 });
  }
  t.check('the model list holds every model and switches the app', JSON.stringify(options) === JSON.stringify(s.models) &&
    (!other || switched === other) && (await t.state(page)).model === s.model, { options, other, switched });
  await page.evaluate(() => document.activeElement.blur());
}

async function checkControls(t, page, clip) {
  await checkRegions(t, page);
  await checkFocusable(t, page);
  await checkLabels(t, page);
  await checkOpenControls(t, page, clip);
  await checkModelSelect(t, page);
}

// ---- what a screen reader hears ----
async function checkResultAnnounced(t, page, what) {
  const s = await t.state(page);
  if (!('announce' in s)) {
    t.skip(`the live region after ${what}`, 'serState() has no "announce" field yet (the app does not announce)');
    return;
  }
  const heard = await page.waitForFunction(() => {
    const text = document.getElementById('status').textContent;
    return text && text === window.serState().announce ? text : null;
  }, null, { timeout: 5000 }).then((h) => h.jsonValue(), () => null);
  t.check(`the live region after ${what} names the result in words`, !!heard && heard.includes(s.label) && heard.includes('%'),
    { heard, label: s.label });
}

// ---- recording without the canvas ----
async function recordOnce(t, page, press) {
  await press();
  const on = await page.waitForFunction(() => { const x = window.serState(); return x.recording && x.live && x.live.updates >= 2; },
    null, { timeout: 15000 }).then(() => t.state(page), () => t.state(page));
  const heard = await page.textContent('#status');
  await press();
  await page.waitForFunction(() => !window.serState().recording, null, { timeout: 10000 }).catch(() => {});
  const off = await t.waitIdle(page);
  return { on, off, heard };
}

async function checkRecordControls(t, page) {
  if (!(await hasExport(page, '_ser_toggle_record'))) {
    t.skip('the DOM record control starts and stops recording', 'the app has no ser_toggle_record export yet');
    t.skip('the R key starts and stops recording', 'the app has no ser_toggle_record export yet');
    return;
  }
  const button = async () => { await page.focus('#ctl-record'); await page.keyboard.press('Enter'); };
  const key = async () => { await page.evaluate(() => document.activeElement.blur()); await page.keyboard.press('r'); };
  for (const [name, press] of [['the DOM record control', button], ['the R key', key]]) {
    const r = await recordOnce(t, page, press);
    t.check(`${name} starts and stops recording`, r.on.recording && !r.off.recording && r.off.source === 'recording' && r.off.label !== null,
      { on: r.on.recording, updates: r.on.live && r.on.live.updates, off: r.off.recording, label: r.off.label, error: r.off.error });
    if ('announce' in r.on) {
      t.check(`the live region while recording (${name})`, r.heard.includes('%') && r.heard.includes(r.on.live.label), r.heard);
    } else {
      t.skip(`the live region while recording (${name})`, 'serState() has no "announce" field yet');
    }
  }
}

// ---- examples ----
async function tryExample(t, page, example) {
  await page.click(`#examples button[data-example="${example.file}"]`);
  await page.waitForFunction((n) => window.serState().source === n, example.file, { timeout: 20000 }).catch(() => {});
  return t.waitIdle(page);
}

async function checkExamples(t, page) {
  const index = readJson(path.join(t.args.web, 'assets', 'examples', 'index.json'));
  const names = await page.$$eval('#examples button', (bs) => bs.map((b) => b.getAttribute('aria-label')));
  t.check('the page offers every example', JSON.stringify(names) === JSON.stringify(index.examples.map((e) => 'Try an example: ' + e.label)), names);
  t.report.examples = {};
  const models = (await t.state(page)).models;
  const start = (await t.state(page)).model;
  for (const model of models) {
    await page.evaluate((n) => window.serSelectModel(n), model);
    await page.waitForFunction(() => !window.serState().busy, null, { timeout: 20000 });
    for (const example of index.examples) {
      const s = await tryExample(t, page, example);
      t.check(`example ${example.file} classifies with ${model}`, s.source === example.file && s.label !== null && !s.error,
        { expected: example.label, label: s.label, p: s.probabilities, error: s.error });
      t.report.examples[model + ' ' + example.file] = { expected: example.label, label: s.label, probabilities: s.probabilities };
    }
  }
  await page.evaluate((n) => window.serSelectModel(n), start);
  await page.waitForFunction(() => !window.serState().busy, null, { timeout: 20000 });
}

// ---- installable ----
async function checkManifest(t, page) {
  const cdp = await page.context().newCDPSession(page);
  const m = await cdp.send('Page.getAppManifest');
  const manifest = m.data ? JSON.parse(m.data) : {};
  const icon = await page.evaluate(async () => {
    const link = document.querySelector('link[rel="icon"]');
    const r = await fetch(link.href);
    return { href: link.getAttribute('href'), status: r.status, type: r.headers.get('Content-Type') };
  });
  t.check('the page links its manifest and icon (served with their types)',
    /assets\/manifest\.webmanifest$/.test(m.url) && m.errors.length === 0 && manifest.name && manifest.icons.length > 0 &&
    icon.status === 200 && /^image\/svg\+xml/.test(icon.type), { url: m.url, errors: m.errors, icon });
  await cdp.detach();
}

// Asked once the service worker controls the page, in a profile on disk (an incognito context
// is never installable).
async function checkInstallable(t, page) {
  const cdp = await page.context().newCDPSession(page);
  const r = await cdp.send('Page.getInstallabilityErrors').then((x) => x.installabilityErrors, (e) => e.message);
  await cdp.detach();
  t.check('Chromium finds the page installable', Array.isArray(r) && r.length === 0, r);
}

// ---- offline and a new build ----
// The SHA-256 of every entry of every "ser-" cache, by path: { cacheName: { path: digest } }.
async function cachedBuilds(page) {
  return page.evaluate(async () => {
    const hex = (b) => Array.from(new Uint8Array(b), (x) => x.toString(16).padStart(2, '0')).join('');
    const out = {};
    for (const name of (await caches.keys()).filter((n) => n.startsWith('ser-'))) {
      const cache = await caches.open(name);
      out[name] = {};
      for (const request of await cache.keys()) {
        const body = await (await cache.match(request)).arrayBuffer();
        out[name][new URL(request.url).pathname.slice(1)] = hex(await crypto.subtle.digest('SHA-256', body));
      }
    }
    return out;
  });
}

// Whether a cache holds exactly the files of a build (version.json), byte for byte.
function holdsBuild(files, build) {
  const want = Object.keys(build.files).sort();
  return !!files && JSON.stringify(Object.keys(files).sort()) === JSON.stringify(want) && want.every((p) => files[p] === build.files[p]);
}

async function readyAgain(page) {
  await page.waitForFunction(() => window.serState && window.serState().ready, null, { timeout: 30000, polling: 50 });
}

async function firstVisit(t, page, url, root) {
  await page.goto(url);
  await readyAgain(page);
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 30000 });
  const build = readJson(path.join(root, 'version.json'));
  const cached = await cachedBuilds(page);
  t.check('the first visit caches the whole build', JSON.stringify(Object.keys(cached)) === JSON.stringify(['ser-' + build.version]) &&
    holdsBuild(cached['ser-' + build.version], build), { caches: Object.keys(cached), files: Object.keys(build.files).length });
  return build;
}

async function offlineReload(t, page, clip, label) {
  await page.context().setOffline(true);
  await page.reload();
  await readyAgain(page);
  const s = await t.openFile(page, clip);
  const ex = await tryExample(t, page, { file: 'neutral.wav' });
  t.check(`offline, a reload is ready and classifies (${label})`, s.label !== null && !s.error && ex.label !== null && !ex.error,
    { file: s.label, example: ex.label, error: s.error || ex.error });
  await page.context().setOffline(false);
}

// The next build: one file changed, staged again as the build does (a new version in sw.js).
function restage(root) {
  fs.appendFileSync(path.join(root, 'main.js'), '\n// e2e: the next build\n');
  execFileSync('python3', [STAGE, root]);
  return readJson(path.join(root, 'version.json'));
}

async function nextBuild(t, page, root, a) {
  const b = restage(root);
  await page.evaluate(() => navigator.serviceWorker.getRegistration().then((r) => r.update()));
  await page.waitForSelector('#ctl-update', { timeout: 30000 });
  const waiting = await cachedBuilds(page);
  t.check('a new build installs beside the running one, which keeps its own cache',
    holdsBuild(waiting['ser-' + a.version], a) && holdsBuild(waiting['ser-' + b.version], b), Object.keys(waiting));
  const navigated = page.waitForEvent('framenavigated', { timeout: 30000 });
  await page.click('#ctl-update');
  await navigated;
  await readyAgain(page);
  const after = await cachedBuilds(page);
  const mainJs = await page.evaluate(() => fetch('main.js').then((r) => r.text()));
  t.check('on reload the new build replaces the cache as a whole', JSON.stringify(Object.keys(after)) === JSON.stringify(['ser-' + b.version]) &&
    holdsBuild(after['ser-' + b.version], b) && mainJs.includes('e2e: the next build'), { caches: Object.keys(after) });
}

// A fresh browser profile on a copy of the build (so the build folder itself is never restaged).
async function checkOffline(t, clip) {
  const root = path.join(t.args.artifacts, 'web-copy');
  const profile = path.join(t.args.artifacts, 'profile');
  for (const dir of [root, profile]) fs.rmSync(dir, { recursive: true, force: true });
  fs.cpSync(t.args.web, root, { recursive: true });
  const server = await t.startServer(root);
  const context = await t.persistentContext(profile);
  const foreign = [];
  const errors = [];
  try {
    const page = context.pages()[0] || await context.newPage();
    page.on('request', (r) => { if (!r.url().startsWith(server.url) && !/^(blob|data):/.test(r.url())) foreign.push(r.url()); });
    page.on('pageerror', (e) => errors.push(e.message));
    const a = await firstVisit(t, page, server.url, root);
    await checkInstallable(t, page);
    await offlineReload(t, page, clip, 'first build');
    await nextBuild(t, page, root, a);
    await offlineReload(t, page, clip, 'new build');
    t.check('offline session: no request leaves the origin, no page errors', foreign.length === 0 && errors.length === 0,
      { foreign, errors });
  } catch (e) {
    // A page that cannot load offline fails here, and the checks after this one still run.
    t.check('offline session runs to its end', false, String(e.message || e).split('\n')[0]);
  } finally {
    await context.close();
    server.proc.kill();
  }
}

module.exports = { checkControls, checkResultAnnounced, checkRecordControls, checkExamples, checkManifest, checkOffline };

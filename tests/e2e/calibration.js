// Browser checks of "Calibrate to my voice" (issue #10): two sentences recorded from the fake
// microphone through the app's own buttons become a profile within 0.5 s of the last one; drops are
// then classified calibrated; the profile survives a reload (localStorage, nothing sent), is removed
// for good, exports and imports as a file, and a broken profile file is refused with a message.
// Called by e2e.js with its helpers in `t`: { args, check, state, waitIdle, openFile, report }.
'use strict';
const fs = require('fs');
const path = require('path');

// Clicks one of the app's buttons once the app has drawn it (serState().ui holds what is on screen).
async function clickRect(t, page, name) {
  await page.waitForFunction((n) => !!window.serState().ui[n], name, { timeout: 5000, polling: 50 }).catch(() => {});
  const r = (await t.state(page)).ui[name];
  if (!r) return false;
  await page.mouse.move(r[0] + r[2] / 2, r[1] + r[3] / 2);
  await page.mouse.down();
  await page.waitForTimeout(60);
  await page.mouse.up();
  return true;
}

const kept = (page) => page.evaluate(() => window.localStorage.getItem('ser-profile'));

// One sentence: Record, about 2.5 s of the fake microphone's speech, Stop; returns the clip reports.
async function recordSentence(t, page, n) {
  await clickRect(t, page, 'record_button');
  await page.waitForFunction(() => { const s = window.serState(); return s.recording && s.live.duration_s >= 2.5; },
    null, { timeout: 15000, polling: 50 });
  await clickRect(t, page, 'record_button');
  await page.waitForFunction((k) => window.serState().calibration.clips.length >= k, n, { timeout: 10000, polling: 50 });
  return (await t.state(page)).calibration;
}

async function calibrateByRecording(t, page) {
  await page.evaluate(() => window.serSelectModel('ser-3class'));
  const s0 = await t.state(page);
  t.check('calibration: no profile before calibrating', s0.calibration && s0.calibration.profile === null, s0.calibration);
  await clickRect(t, page, 'calibrate_button');
  await page.waitForFunction(() => window.serState().calibration.collecting, null, { timeout: 5000 }).catch(() => {});
  await recordSentence(t, page, 1);
  const c = await recordSentence(t, page, 2);
  const s = await t.state(page);
  t.check('calibration: two recorded sentences give a profile', !!c.profile && c.profile.n_clips === 2 &&
    c.profile.voiced_s >= 0.6 && c.profile.applied && c.clips.every((x) => x.problem === null) && !s.recording,
    { profile: c.profile, clips: c.clips, error: s.error });
  t.report.budgets.calibration_profile_ms = { value: c.profile_ms, budget: 500, unit: 'ms', ok: c.profile_ms <= 500 };
  t.check('calibration: the profile is ready within 0.5 s of the last sentence', c.profile_ms > 0 && c.profile_ms <= 500,
    `${c.profile_ms.toFixed(1)} ms`);
  await page.mouse.move(900, 700);
  await page.screenshot({ path: path.join(t.args.artifacts, '10-calibrated.png') });
  await clickRect(t, page, 'calibration_done');
  await page.waitForFunction(() => !window.serState().calibration.collecting, null, { timeout: 5000 }).catch(() => {});
  return c.profile;
}

async function checkCalibratedDrop(t, page, clip, what) {
  const s = await t.openFile(page, clip);
  t.check(`calibration: ${what}`, s.calibrated === true && s.label !== null && /calibrated/.test(s.announce),
    { label: s.label, calibrated: s.calibrated, announce: s.announce, error: s.error });
}

async function checkReloadAndRemove(t, page, clip) {
  const stored = await kept(page);
  t.check('calibration: the profile is kept in localStorage only', !!stored && JSON.parse(stored).format === 'ser-profile');
  await page.reload();
  await page.waitForFunction(() => window.serState().ready && window.serState().calibration.profile, null, { timeout: 20000 })
    .catch(() => {});
  const p = (await t.state(page)).calibration.profile;
  t.check('calibration: a reload keeps the profile', !!p && p.origin === 'kept on this device', p);
  await checkCalibratedDrop(t, page, clip, 'after a reload, drops are still calibrated');
  await clickRect(t, page, 'profile_remove');
  await page.waitForFunction(() => window.serState().calibration.profile === null, null, { timeout: 5000 }).catch(() => {});
  const removed = await t.state(page);
  t.check('calibration: Remove drops the profile and its stored copy', removed.calibration.profile === null &&
    (await kept(page)) === null, removed.calibration);
  await page.reload();
  await page.waitForFunction(() => window.serState().ready, null, { timeout: 20000 });
  const s = await t.openFile(page, clip);
  t.check('calibration: after removal and a reload, results are not calibrated',
    (await t.state(page)).calibration.profile === null && s.calibrated === false, { calibrated: s.calibrated });
}

async function checkImport(t, page, profile) {
  const file = path.join(t.args.artifacts, 'ser-profile.json');
  fs.writeFileSync(file, profile);
  await page.setInputFiles('#file-input', file);
  await page.waitForFunction(() => window.serState().calibration.profile, null, { timeout: 10000 }).catch(() => {});
  const p = (await t.state(page)).calibration.profile;
  t.check('calibration: a profile file imports', !!p && p.origin === 'imported' && (await kept(page)) !== null, p);
  const broken = path.join(t.args.artifacts, 'broken-profile.json');
  fs.writeFileSync(broken, profile.slice(0, Math.floor(profile.length / 2)));
  await page.setInputFiles('#file-input', broken);
  await page.waitForFunction(() => !!window.serState().error, null, { timeout: 10000 }).catch(() => {});
  const s = await t.state(page);
  t.check('calibration: a truncated profile file is refused with a message', !!s.error && /profile/.test(s.error) &&
    !!s.calibration.profile && s.calibration.profile.origin === 'imported', s.error);
  await clickRect(t, page, 'profile_remove');
}

async function checkCalibration(t, page, clip) {
  const made = await calibrateByRecording(t, page);
  if (!made) return;
  // Export through the app's own button: the page's save path gets the profile's JSON.
  await page.evaluate(() => { window.serLastExport = null; });
  await clickRect(t, page, 'profile_export');
  await page.waitForFunction(() => !!window.serLastExport, null, { timeout: 5000 }).catch(() => {});
  const exported = await page.evaluate(() => window.serLastExport);
  t.check('calibration: Export gives the profile file', !!exported && exported.name === 'ser-profile.json' &&
    JSON.parse(exported.text).format === 'ser-profile', exported && exported.name);
  await checkCalibratedDrop(t, page, clip, 'a dropped file is classified with the profile');
  await checkReloadAndRemove(t, page, clip);
  if (exported && exported.name === 'ser-profile.json') await checkImport(t, page, exported.text);
}

module.exports = { checkCalibration };

// Host side of the ser web app: loads the models, reads dropped/picked files, runs the
// microphone (getUserMedia + AudioWorklet), plays audio back, saves exports, and exposes
// window.serState() for tests. All numbers are computed by the WebAssembly core (app.wasm).
// Nothing is fetched from anywhere but this page's own origin.
// Module is the one global that Emscripten's app.js reads; everything else stays in the closure.
var Module = {
  canvas: document.getElementById('canvas'),
  print: (text) => console.log(text),
  printErr: (text) => console.warn(text),
  onRuntimeInitialized: () => { if (window.serTimings) window.serTimings.runtime_ms = performance.now(); },
  // The WebAssembly download starts now, in parallel with app.js, and compiles while it
  // streams (serve.py sends application/wasm); app.js hands over its imports when it runs.
  // The app starts once the models are in memory too: its start holds the main thread (SDL and
  // WebGL set-up, then frames), and model bytes arriving after that waited 0.7-0.9 s behind it
  // in headless Chromium before they reached the app.
  instantiateWasm: (imports, done) => {
    const response = Module.wasmResponse || fetch('app.wasm', { credentials: 'same-origin' });
    Promise.all([WebAssembly.instantiateStreaming(response, imports), Module.modelsFetched])
      .then(([r]) => done(r.instance, r.module))
      .catch((e) => console.error('app.wasm could not be loaded: ' + e));
    return {};
  },
};
Module.wasmResponse = fetch('app.wasm', { credentials: 'same-origin' });

(function () {
'use strict';

// Files larger than this are refused before reading (the app analyses up to 120 s anyway).
const MAX_FILE_BYTES = 256 * 1024 * 1024;

const canvas = document.getElementById('canvas');
const fileInput = document.getElementById('file-input');

// Models are fetched while the WebAssembly module downloads and compiles.
const modelsPromise = fetch('models/index.json')
  .then((r) => (r.ok ? r.json() : { models: [] }))
  .catch(() => ({ models: [] }))
  .then((index) => Promise.all((index.models || []).map((file) =>
    fetch('models/' + file)
      .then((r) => { if (!r.ok) throw new Error('HTTP ' + r.status); return r.arrayBuffer(); })
      .then((b) => ({ name: file.replace(/\.sermodel$/, ''), bytes: new Uint8Array(b) }),
            (e) => ({ name: file.replace(/\.sermodel$/, ''), bytes: new Uint8Array(0), error: String(e) })))));
Module.modelsFetched = modelsPromise;

let appStarted = false;
// Milestones of the start-up (ms since navigation), reported by the e2e test.
window.serTimings = {};
let audioCtx = null;
let workletLoaded = false;
let mic = null;           // { stream, source, node }
let player = null;        // { source, startedAt, from, duration }
let chunkPtr = 0;
let chunkCap = 0;

// The live analysis runs in a Web Worker on its own copy of the core (live-core.wasm): the
// AudioWorklet sends it the microphone's chunks directly, and the main thread only draws the
// readings it posts. Without Worker support the app analyses on the main thread, as natively.
// It starts a few seconds after the app is ready, or at the first Record, whichever comes first,
// so that its 0.5 MB core downloads and compiles after the first files a user drops; a take that
// begins before it is up is analysed on the main thread.
const LIVE_WORKER_DELAY_MS = 3000;
let liveWorker = null;
let liveWorkerReady = false;
let liveWorkerModels = null;

function startLiveWorker() {
  if (liveWorker || !liveWorkerModels) return;
  const models = liveWorkerModels;
  try {
    liveWorker = new Worker('live-worker.js');
  } catch (e) {
    console.warn('live worker unavailable (' + e + '); live analysis runs on the main thread');
    return;
  }
  liveWorker.onmessage = (e) => onLiveMessage(e.data);
  liveWorker.onerror = (e) => { console.warn('live worker: ' + (e.message || e)); liveWorkerReady = false; };
  liveWorker.postMessage({ type: 'models', models: models.filter((m) => m.bytes.length > 0) });
}


// ---- helpers ----
function heapU8() { return Module.HEAPU8; }
function heapF32() { return Module.HEAPF32; }

function withBytes(u8, fn) {
  const ptr = Module._malloc(Math.max(1, u8.length));
  try {
    heapU8().set(u8, ptr);
    fn(ptr);
  } finally {
    Module._free(ptr);
  }
}

function call(name, types, args) { return Module.ccall(name, null, types, args); }

function ensureAudioContext() {
  if (!audioCtx) audioCtx = new (window.AudioContext || window.webkitAudioContext)();
  if (audioCtx.state === 'suspended') audioCtx.resume();
  return audioCtx;
}

// ---- files ----
// The file's own sample rate from its header, so that decodeAudioData (which decodes to its
// context's rate) does not resample: the core does that, as for every other input.
// Returns 0 when unknown.
function sniffRate(b) {
  const s4 = (o) => String.fromCharCode(b[o], b[o + 1], b[o + 2], b[o + 3]);
  if (b.length > 22 && s4(0) === 'fLaC') {            // FLAC STREAMINFO: 20-bit rate at byte 18
    return (b[18] << 12) | (b[19] << 4) | (b[20] >> 4);
  }
  if (b.length > 64 && s4(0) === 'OggS') {
    const start = 27 + b[26];                          // first packet after the segment table
    const id = String.fromCharCode(...b.subarray(start, start + 8));
    if (id.startsWith('\x01vorbis')) {
      const o = start + 12;
      return (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24)) >>> 0;
    }
    if (id === 'OpusHead') return 48000;               // Opus always decodes at 48 kHz
    return 0;
  }
  let i = 0;
  if (b.length > 10 && b[0] === 0x49 && b[1] === 0x44 && b[2] === 0x33) {   // ID3v2 tag
    i = 10 + ((b[6] & 0x7f) << 21 | (b[7] & 0x7f) << 14 | (b[8] & 0x7f) << 7 | (b[9] & 0x7f));
  }
  for (const end = Math.min(b.length - 4, i + 65536); i < end; i++) {       // MPEG audio frame
    if (b[i] === 0xff && (b[i + 1] & 0xe0) === 0xe0) {
      const version = (b[i + 1] >> 3) & 3, index = (b[i + 2] >> 2) & 3;
      if (version === 1 || index === 3) continue;
      const table = version === 3 ? [44100, 48000, 32000] : version === 2 ? [22050, 24000, 16000] : [11025, 12000, 8000];
      return table[index];
    }
  }
  return 0;
}

function formatName(b) {
  const s4 = String.fromCharCode(b[0], b[1], b[2], b[3]);
  if (s4 === 'fLaC') return 'FLAC';
  if (s4 === 'OggS') return 'Ogg';
  if (s4.startsWith('ID3') || (b[0] === 0xff && (b[1] & 0xe0) === 0xe0)) return 'MP3';
  return 'audio';
}

async function openFile(file) {
  if (!appStarted) return;
  const name = file.name || 'file';
  if (file.size > MAX_FILE_BYTES) {
    call('ser_open_failed', ['string', 'string'], [name,
      'app: the file is ' + (file.size / 1048576).toFixed(0) + ' MB; the app reads files up to ' +
      (MAX_FILE_BYTES / 1048576) + ' MB (and analyses up to 120 s)']);
    return;
  }
  let bytes;
  try {
    bytes = new Uint8Array(await file.arrayBuffer());
  } catch (e) {
    call('ser_open_failed', ['string', 'string'], [name, 'app: the file could not be read (' + e + ')']);
    return;
  }
  if (bytes.length === 0) {
    call('ser_open_failed', ['string', 'string'], [name, 'decode: the file is 0 bytes; expected WAV, FLAC, MP3 or OGG audio']);
    return;
  }
  // The core decides first: what it reads (WAV of every kind) it decodes, with its own messages,
  // as `ser` does. The rest the browser decodes at the file's own rate (or 48 kHz when the header
  // does not say); the core then validates (rate, duration, values), downmixes and resamples.
  let coreReads = false;
  withBytes(bytes, (ptr) => {
    coreReads = Module.ccall('ser_core_reads', 'number', ['number', 'number'], [ptr, bytes.length]) === 1;
    if (coreReads) call('ser_open_bytes', ['string', 'number', 'number'], [name, ptr, bytes.length]);
  });
  if (coreReads) return;
  const sniffed = sniffRate(bytes);
  const rate = sniffed > 0 ? sniffed : 48000;
  let audio;
  try {
    const ctx = new OfflineAudioContext(1, 1, rate);
    audio = await ctx.decodeAudioData(bytes.buffer.slice(0));
  } catch (e) {
    call('ser_open_failed', ['string', 'string'], [name,
      'decode: the browser could not decode "' + name + '" (' + (e && e.message ? e.message : e) +
      '); expected WAV, FLAC, MP3 or OGG audio']);
    return;
  }
  const n = audio.length, channels = audio.numberOfChannels;
  const format = formatName(bytes) + (sniffed ? '' : ' (rate not in the header: decoded at 48000 Hz)');
  const ptr = Module._malloc(Math.max(4, n * channels * 4));
  if (!ptr) {
    call('ser_open_failed', ['string', 'string'], [name, 'app: not enough memory for ' + n + ' frames']);
    return;
  }
  try {
    for (let c = 0; c < channels; c++) heapF32().set(audio.getChannelData(c), (ptr >> 2) + c * n);
    call('ser_open_pcm', ['string', 'number', 'number', 'number', 'number', 'string'],
      [name, ptr, n, channels, audio.sampleRate, format]);
  } finally {
    Module._free(ptr);
  }
}

canvas.addEventListener('contextmenu', (e) => e.preventDefault());

fileInput.addEventListener('change', () => {
  const f = fileInput.files && fileInput.files[0];
  if (f) openFile(f);
  fileInput.value = '';
});

document.addEventListener('dragover', (e) => {
  e.preventDefault();
  if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy';
  document.body.classList.add('dragging');
});
document.addEventListener('dragleave', () => document.body.classList.remove('dragging'));
document.addEventListener('drop', (e) => {
  e.preventDefault();
  document.body.classList.remove('dragging');
  const f = e.dataTransfer && e.dataTransfer.files && e.dataTransfer.files[0];
  if (f) openFile(f);
});

// ---- microphone ----
function micMessage(e) {
  const name = e && e.name;
  if (name === 'NotAllowedError' || name === 'SecurityError' || name === 'PermissionDeniedError')
    return 'microphone: access was denied; allow the microphone for this page in the browser and press Record again';
  if (name === 'NotFoundError' || name === 'OverconstrainedError' || name === 'DevicesNotFoundError')
    return 'microphone: no microphone was found; connect one, or drop a file instead';
  if (name === 'NotReadableError')
    return 'microphone: the microphone is in use by another program or could not be opened';
  return 'microphone: could not start (' + (name || 'error') + ': ' + (e && e.message ? e.message : e) + ')';
}

function pushChunk(samples) {
  if (!mic) return;
  if (samples.length > chunkCap) {
    if (chunkPtr) Module._free(chunkPtr);
    chunkCap = samples.length;
    chunkPtr = Module._malloc(chunkCap * 4);
  }
  heapF32().set(samples, chunkPtr >> 2);
  Module._ser_capture_chunk(chunkPtr, samples.length);
}

async function startCapture() {
  startLiveWorker();
  try {
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
      throw { name: 'NotSupportedError', message: 'no getUserMedia here (the page must come from localhost or https)' };
    }
    const ctx = ensureAudioContext();
    if (!workletLoaded) {
      await ctx.audioWorklet.addModule('recorder-worklet.js');
      workletLoaded = true;
    }
    const stream = await navigator.mediaDevices.getUserMedia({
      audio: { echoCancellation: false, noiseSuppression: false, autoGainControl: false, channelCount: 1 },
    });
    await ctx.resume();
    const source = ctx.createMediaStreamSource(stream);
    const node = new AudioWorkletNode(ctx, 'ser-recorder', { numberOfInputs: 1, numberOfOutputs: 1, outputChannelCount: [1] });
    mic = { stream, source, node, remote: false };
    if (liveWorkerReady) {
      const channel = new MessageChannel();
      liveWorker.postMessage({ type: 'port', port: channel.port2 }, [channel.port2]);
      node.port.postMessage({ port: channel.port1 }, [channel.port1]);
      mic.remote = true;
    }
    // Chunks the worklet sent before it took the worker's port go the same way.
    node.port.onmessage = (e) => {
      if (mic && mic.remote) liveWorker.postMessage({ type: 'chunk', samples: e.data }, [e.data.buffer]);
      else pushChunk(e.data);
    };
    source.connect(node);
    node.connect(ctx.destination);     // pulls the graph; the worklet outputs silence
    call('ser_capture_started', ['number'], [ctx.sampleRate]);
  } catch (e) {
    stopCapture();
    call('ser_capture_failed', ['string'], [micMessage(e)]);
  }
}

function stopCapture() {
  if (!mic) return;
  if (mic.remote) liveWorker.postMessage({ type: 'stop' });
  try {
    mic.node.port.postMessage('stop');
    mic.source.disconnect();
    mic.node.disconnect();
    mic.stream.getTracks().forEach((t) => t.stop());
  } catch (e) { /* already stopped */ }
  mic = null;
}

// What the live worker posts: a reading with new 16 kHz samples and spectrum columns, or an error.
function onLiveMessage(msg) {
  if (msg.type === 'ready') { liveWorkerReady = true; return; }
  if (!mic || !mic.remote || !appStarted) return;
  if (msg.type === 'error') {
    stopCapture();
    call('ser_live_failed', ['string'], [msg.message]);
    return;
  }
  if (msg.type !== 'reading') return;
  const n = msg.samples.length, m = msg.columns.length;
  const ptr = Module._malloc(Math.max(4, (n + m) * 4));
  try {
    heapF32().set(msg.samples, ptr >> 2);
    heapF32().set(msg.columns, (ptr >> 2) + n);
    call('ser_live_update', ['string', 'number', 'number', 'number', 'number'], [msg.reading, ptr, n, ptr + 4 * n, m]);
  } finally {
    Module._free(ptr);
  }
}

// ---- playback and saving ----
function play(view, rate, from) {
  stopPlayback();
  const ctx = ensureAudioContext();
  const buffer = ctx.createBuffer(1, view.length, rate);
  buffer.copyToChannel(new Float32Array(view), 0);
  const source = ctx.createBufferSource();
  source.buffer = buffer;
  source.connect(ctx.destination);
  source.start(0, from);
  player = { source, startedAt: ctx.currentTime, from, duration: view.length / rate };
  source.onended = () => { if (player && player.source === source) player = null; };
}

function stopPlayback() {
  if (!player) return;
  try { player.source.stop(); } catch (e) { /* not started */ }
  player = null;
}

function playbackPosition() {
  if (!player || !audioCtx) return -1;
  const t = player.from + (audioCtx.currentTime - player.startedAt);
  return t > player.duration ? -1 : t;
}

function saveText(name, text) {
  window.serLastExport = { name, text };
  const type = name.endsWith('.json') ? 'application/json' : 'text/csv';
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

// ---- words for screen readers ----
// The app is one canvas; what it would say aloud it hands to serHost.announce (polite result
// text, or an alert for errors and notices), and the page puts it where screen readers read it.
const statusRegion = document.getElementById('status');
const alertRegion = document.getElementById('alert');

function announce(text, isAlert) {
  (isAlert ? alertRegion : statusRegion).textContent = text == null ? '' : String(text);
}

// ---- the page's own controls: the same actions as the canvas, for keyboards and screen readers ----
const recordButton = document.getElementById('ctl-record');
const openButton = document.getElementById('ctl-open');
const modelSelect = document.getElementById('ctl-model');
const examplesGroup = document.getElementById('examples');

// Builds of the app without the export have no record control outside the canvas.
function canToggleRecord() { return typeof Module._ser_toggle_record === 'function'; }

function toggleRecord() {
  if (appStarted && canToggleRecord()) Module._ser_toggle_record();
}

function openPicker() {
  if (appStarted) fileInput.click();
}

// The menu on the canvas may have switched the model since the list was filled.
function syncModelSelect() {
  const s = window.serState();
  if (s.model) modelSelect.value = s.model;
}

function fillModelSelect() {
  const models = window.serState().models || [];
  modelSelect.replaceChildren(...models.map((name) => new Option(name, name)));
  syncModelSelect();
  modelSelect.disabled = models.length === 0;
}

modelSelect.addEventListener('focus', syncModelSelect);
modelSelect.addEventListener('change', () => {
  const name = modelSelect.value;
  if (!window.serSelectModel(name)) announce('The model ' + name + ' cannot be used.', true);
  syncModelSelect();
});
recordButton.addEventListener('click', toggleRecord);
openButton.addEventListener('click', openPicker);

function enableControls() {
  const record = canToggleRecord();
  recordButton.disabled = !record;
  recordButton.hidden = !record;
  document.getElementById('key-record').hidden = !record;
  openButton.disabled = false;
  fillModelSelect();
  for (const b of examplesGroup.querySelectorAll('button')) b.disabled = false;
}

// Single keys act only where typing means nothing else: never in a form field, never with a
// modifier (Ctrl+R reloads), never on auto-repeat.
function isFormField(el) {
  return !!el && (el.isContentEditable || /^(INPUT|SELECT|TEXTAREA)$/.test(el.tagName));
}

const SHORTCUTS = { r: toggleRecord, o: openPicker };

function shortcut(e) {
  if (e.repeat || e.ctrlKey || e.metaKey || e.altKey || isFormField(e.target)) return;
  const action = SHORTCUTS[(e.key || '').toLowerCase()];
  if (!action || (action === toggleRecord && !canToggleRecord())) return;
  e.preventDefault();
  action();
}

// SDL listens for keys on the whole window and cancels the browser's action for Tab, arrows,
// Backspace, Ctrl+anything and (without text input) every key (SDL_emscriptenevents.c): Tab
// would never reach the controls, nor Enter a button. The app reads no keys, so keys are
// the app's only while its canvas has the focus; the rest stop here, before SDL sees them.
for (const type of ['keydown', 'keypress', 'keyup']) {
  window.addEventListener(type, (e) => {
    if (e.target === canvas) return;
    e.stopPropagation();
    if (type === 'keydown') shortcut(e);
  }, true);
}

// ---- examples: clips shipped in assets/examples, opened as if dropped ----
async function openExample(file) {
  if (!appStarted) return;
  let bytes;
  try {
    const r = await fetch('assets/examples/' + encodeURIComponent(file), { credentials: 'same-origin' });
    if (!r.ok) throw new Error('HTTP ' + r.status);
    bytes = await r.arrayBuffer();
  } catch (e) {
    call('ser_open_failed', ['string', 'string'], [file, 'app: the example could not be loaded (' + e.message + ')']);
    return;
  }
  openFile(new File([bytes], file, { type: 'audio/wav' }));
}

function exampleButton(example) {
  const b = document.createElement('button');
  b.type = 'button';
  b.textContent = example.label;
  b.dataset.example = example.file;
  b.setAttribute('aria-label', 'Try an example: ' + example.label);
  b.title = 'RAVDESS actor ' + example.actor + ', "' + example.sentence + '" (' + example.intensity + ')';
  b.disabled = !appStarted;
  b.addEventListener('click', () => openExample(example.file));
  return b;
}

fetch('assets/examples/index.json')
  .then((r) => (r.ok ? r.json() : { examples: [] }))
  .catch(() => ({ examples: [] }))
  .then((index) => {
    for (const example of index.examples || []) examplesGroup.appendChild(exampleButton(example));
    examplesGroup.hidden = !examplesGroup.querySelector('button');
  });

// ---- offline: the service worker (web/sw.js) keeps one whole build in one cache ----
const updateButton = document.createElement('button');

// A new build waits until this page agrees to it, so that a running page never mixes files of
// two builds (it may still fetch the worklet or an example): the user chooses when to reload.
function offerUpdate(registration) {
  updateButton.type = 'button';
  updateButton.id = 'ctl-update';
  updateButton.textContent = 'A new version is ready: reload';
  updateButton.onclick = () => registration.waiting && registration.waiting.postMessage('activate');
  document.getElementById('bar').appendChild(updateButton);
  announce('A new version of ser is ready; reload to use it.', false);
}

function watchForUpdates(registration) {
  if (registration.waiting && navigator.serviceWorker.controller) offerUpdate(registration);
  registration.addEventListener('updatefound', () => {
    const next = registration.installing;
    if (!next) return;
    next.addEventListener('statechange', () => {
      if (next.state === 'installed' && navigator.serviceWorker.controller) offerUpdate(registration);
    });
  });
}

function registerServiceWorker() {
  // Service workers exist on http(s) only (and need a secure context: https or localhost).
  if (!('serviceWorker' in navigator) || !/^https?:$/.test(location.protocol)) return;
  let hadController = !!navigator.serviceWorker.controller;
  navigator.serviceWorker.addEventListener('controllerchange', () => {
    // The first install takes over a page that came from the network; a reload is only needed
    // when a page of the previous build agreed to the new one.
    if (hadController) location.reload();
    hadController = true;
  });
  navigator.serviceWorker.register('sw.js')
    .then(watchForUpdates)
    .catch((e) => console.warn('ser: no offline use (the service worker did not register: ' + e + ')'));
}

// ---- the speaker profile ----
// The app keeps the profile in localStorage (platform_web.cpp: js_keep_profile), on this device
// only; at start-up it gets it back. Storage may be off (a private window): then there is none.
function keptProfile() {
  try { return window.localStorage.getItem('ser-profile'); } catch (e) { return null; }
}

function openKeptProfile() {
  const text = keptProfile();
  if (!text) return;
  const bytes = new TextEncoder().encode(text);
  withBytes(bytes, (ptr) => call('ser_open_profile', ['number', 'number', 'number'], [ptr, bytes.length, 1]));
}

// ---- what the C++ platform layer calls (platform_web.cpp) ----
window.serHost = {
  openFilePicker: () => fileInput.click(),
  startCapture: () => { startCapture(); },
  stopCapture,
  play,
  stopPlayback,
  playbackPosition,
  saveText,
  appStarted: () => {
    appStarted = true;
    window.serTimings.app_started_ms = performance.now();
    const loading = document.getElementById('loading');
    if (loading) loading.remove();
    modelsPromise.then((models) => {
      window.serTimings.models_fetched_ms = performance.now();
      for (const m of models) {
        withBytes(m.bytes, (ptr) => call('ser_add_model', ['string', 'number', 'number'], [m.name, ptr, m.bytes.length]));
      }
      window.serTimings.models_fetched_ms = window.serTimings.models_fetched_ms || performance.now();
      call('ser_models_done', [], []);
      window.serTimings.models_loaded_ms = performance.now();
      openKeptProfile();
      if (window.serState().ready) window.serTimings.ready_ms = performance.now();
      enableControls();
      // After start-up, so that caching the app for offline use never delays the first visit.
      registerServiceWorker();
      liveWorkerModels = models;
      setTimeout(startLiveWorker, LIVE_WORKER_DELAY_MS);
    });
  },
  announce,
  analysesLive: () => !!(mic && mic.remote),
  startLive: (model, profile) => {
    if (mic && mic.remote) liveWorker.postMessage({ type: 'start', model, profile, rate: audioCtx.sampleRate });
  },
};

// ---- the test hooks (docs/web.md) ----
// Selects a model by name, as the model menu does; returns false when there is no such model.
window.serSelectModel = function serSelectModel(name) {
  return appStarted && Module.ccall('ser_select_model', 'number', ['string'], [name]) === 1;
};

window.serState = function serState() {
  if (!appStarted) {
    return { ready: false, model: null, classes: [], busy: false, label: null, probabilities: {}, timeline: [], error: null };
  }
  return JSON.parse(Module.ccall('ser_state_json', 'string', [], []));
};
})();

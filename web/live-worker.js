// The live analysis off the main thread (issue #11): runs live-core.wasm (src/app/live_worker.cpp,
// the core's LiveAnalyser) on the microphone's chunks, which the AudioWorklet sends here through its
// own MessagePort; posts each reading, the new 16 kHz samples and spectrum columns to the page.
'use strict';
let ready = false;
let take = 'idle';        // 'waiting' (a port, no start yet: chunks queue), 'started', 'idle'
const queued = [];        // messages that arrived before the runtime was up
const early = [];         // chunks that arrived before the take's start
let chunkPtr = 0;
let chunkCap = 0;

var Module = {
  onRuntimeInitialized: () => {
    ready = true;
    self.postMessage({ type: 'ready' });
    while (queued.length) handle(queued.shift());
  },
  print: (t) => console.log(t),
  printErr: (t) => console.warn(t),
};
importScripts('live-core.js');

function withBytes(u8, fn) {
  const ptr = Module._malloc(Math.max(1, u8.length));
  try {
    Module.HEAPU8.set(u8, ptr);
    return fn(ptr);
  } finally {
    Module._free(ptr);
  }
}

function error() { return Module.UTF8ToString(Module.ccall('lw_error', 'number', [], [])); }

function addModels(models) {
  for (const m of models) {
    if (!m.bytes || !m.bytes.length) continue;
    withBytes(m.bytes, (ptr) => Module.ccall('lw_add_model', 'number', ['string', 'number', 'number'], [m.name, ptr, m.bytes.length]));
  }
}

function start(msg) {
  const profile = new TextEncoder().encode(msg.profile || '');
  const ok = withBytes(profile, (ptr) => Module.ccall('lw_start', 'number', ['string', 'number', 'number', 'number'],
    [msg.model, msg.rate, ptr, profile.length]));
  take = ok === 1 ? 'started' : 'idle';
  if (ok !== 1) self.postMessage({ type: 'error', message: error() });
  while (take === 'started' && early.length) push(early.shift());
  early.length = 0;
}

function heapCopy(ptrFn, countFn) {
  const n = Module.ccall(countFn, 'number', [], []);
  const ptr = Module.ccall(ptrFn, 'number', [], []);
  return n > 0 ? Module.HEAPF32.slice(ptr >> 2, (ptr >> 2) + n) : new Float32Array(0);
}

function push(samples) {
  if (take === 'waiting' && early.length < 64) early.push(samples);
  if (take !== 'started') return;
  if (samples.length > chunkCap) {
    if (chunkPtr) Module._free(chunkPtr);
    chunkCap = samples.length;
    chunkPtr = Module._malloc(chunkCap * 4);
  }
  Module.HEAPF32.set(samples, chunkPtr >> 2);
  if (Module.ccall('lw_push', 'number', ['number', 'number'], [chunkPtr, samples.length]) !== 1) {
    take = 'idle';
    self.postMessage({ type: 'error', message: error() });
    return;
  }
  const reading = Module.UTF8ToString(Module.ccall('lw_reading', 'number', [], []));
  const out = heapCopy('lw_samples', 'lw_n_samples');
  const columns = heapCopy('lw_columns', 'lw_n_column_values');
  self.postMessage({ type: 'reading', reading, samples: out, columns }, [out.buffer, columns.buffer]);
}

function handle(msg) {
  if (msg.type === 'models') addModels(msg.models);
  else if (msg.type === 'start') start(msg);
  else if (msg.type === 'stop') { take = 'idle'; early.length = 0; Module.ccall('lw_stop', null, [], []); }
  else if (msg.type === 'chunk') push(msg.samples);
  else if (msg.type === 'port') {
    take = 'waiting';
    msg.port.onmessage = (e) => push(e.data);
  }
}

self.onmessage = (e) => { if (ready) handle(e.data); else queued.push(e.data); };

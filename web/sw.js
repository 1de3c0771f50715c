// Service worker of the ser web app: keeps one build of the whole app in one cache, so that the
// page loads and classifies with the network off, and a new build replaces the old one whole.
// The build (src/app/stage_web.py) replaces the next line with this build's version and the
// SHA-256 of every file it staged; a new build is therefore a new sw.js, which the browser
// installs as a new worker.
const BUILD = {"version": "unstaged", "files": {}};
const PREFIX = 'ser-';
const CACHE = PREFIX + BUILD.version;

function hex(buffer) {
  return Array.from(new Uint8Array(buffer), (b) => b.toString(16).padStart(2, '0')).join('');
}

// Fetches one file past the HTTP cache (revalidated, so usually a 304) and refuses it when its
// content is not this build's: a server already serving the next build must not fill this cache.
async function fetchVerified(path, digest) {
  const response = await fetch(new Request(path, { cache: 'no-cache', credentials: 'same-origin' }));
  if (!response.ok) throw new Error(path + ': HTTP ' + response.status);
  const body = await response.clone().arrayBuffer();
  const got = hex(await crypto.subtle.digest('SHA-256', body));
  if (got !== digest) throw new Error(path + ': content is not build ' + BUILD.version);
  return response;
}

// All or nothing: a failed install leaves the previous worker and its cache in charge.
async function install() {
  const entries = Object.entries(BUILD.files);
  if (entries.length === 0) throw new Error('sw.js was not stamped by the build');
  const responses = await Promise.all(entries.map(([path, digest]) => fetchVerified(path, digest)));
  await caches.delete(CACHE);            // a half-filled cache from an interrupted install
  const cache = await caches.open(CACHE);
  await Promise.all(entries.map(([path], i) => cache.put(path, responses[i])));
}

async function activate() {
  const names = await caches.keys();
  await Promise.all(names.filter((n) => n.startsWith(PREFIX) && n !== CACHE).map((n) => caches.delete(n)));
  await self.clients.claim();
}

// The cache key of a request: its path relative to the worker's scope; a folder means its index.html.
function cachePath(url) {
  const scope = new URL(self.registration.scope);
  if (url.origin !== scope.origin || !url.pathname.startsWith(scope.pathname)) return null;
  const rel = decodeURIComponent(url.pathname.slice(scope.pathname.length));
  return rel === '' || rel.endsWith('/') ? rel + 'index.html' : rel;
}

async function respond(request) {
  const path = cachePath(new URL(request.url));
  if (path !== null && Object.prototype.hasOwnProperty.call(BUILD.files, path)) {
    const cache = await caches.open(CACHE);
    const hit = await cache.match(path, { ignoreSearch: true, ignoreVary: true });
    if (hit) return hit;
  }
  return fetch(request);
}

// The first build takes over at once; a later one waits (the browser keeps the previous worker
// and its cache) until no page of the previous build is open, or until such a page asks for it
// (main.js offers the reload), so that one page never gets files of two builds.
self.addEventListener('install', (event) => {
  event.waitUntil(install());
});
self.addEventListener('message', (event) => {
  if (event.data === 'activate') self.skipWaiting();
});
self.addEventListener('activate', (event) => event.waitUntil(activate()));
self.addEventListener('fetch', (event) => {
  if (event.request.method !== 'GET') return;
  event.respondWith(respond(event.request));
});

// Service worker of the field app. The server writes VERSION and PRECACHE above this line.
// Each version precaches the shell and its hashed assets in its own cache. A new version waits
// until the page says it is safe (no form with unsaved input) or the app is next started; then it
// takes over and removes the old caches. It never touches IndexedDB, where the outbox lives, and it
// never answers nor caches API requests: those go to the network as they are, so no answer carrying
// personal data is ever kept in Cache Storage in clear (the app seals what it keeps, store.js).

/* global VERSION, PRECACHE */
const CACHE = `field-${VERSION}`;
const SHELL = PRECACHE[0];

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(PRECACHE)));
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    const names = await caches.keys();
    await Promise.all(names.filter((n) => n.startsWith('field-') && n !== CACHE).map((n) => caches.delete(n)));
    await self.clients.claim();
  })());
});

self.addEventListener('message', (event) => {
  if (event.data === 'activate') self.skipWaiting();
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== self.location.origin || !url.pathname.startsWith('/field/')) return;
  if (url.pathname.startsWith('/field/import')) return;
  if (request.mode === 'navigate') {
    event.respondWith(caches.open(CACHE).then(async (cache) => (await cache.match(SHELL)) || fetch(request)));
    return;
  }
  event.respondWith(caches.open(CACHE).then(async (cache) => (await cache.match(request)) || fetch(request)));
});

// The author's desk over real HTTP: the author's own cover (PUT, every refusal), the stored
// PNG renditions (GET and HEAD, ?format=png&size=), cache headers, what the change log says
// of it; the minimum sale length and the price basis readers are shown.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';
import {
  startServer, api, signup, adminToken, makeAuthor, publishBook, problem, LOREM_KO,
} from './lib/server.mjs';

const JPEG = readFileSync(new URL('./fixtures/cover-400x600.jpg', import.meta.url));
const PNG_300 = readFileSync(new URL('./fixtures/cover-300x450.png', import.meta.url));

// A solid-colour RGB PNG of w x h, made here (the sizes the bounds test need).
const CRC = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = CRC[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4); len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4); crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}
function png(w, h) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0); ihdr.writeUInt32BE(h, 4);
  ihdr[8] = 8; ihdr[9] = 2; // 8-bit RGB
  const row = Buffer.concat([Buffer.from([0]), Buffer.alloc(w * 3, 0x5a)]);
  const raw = Buffer.concat(Array.from({ length: h }, () => row));
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}
const pngSize = (buf) => [buf.readUInt32BE(16), buf.readUInt32BE(20)];

let srv, admin, author, other, reader, book;

before(async () => {
  srv = await startServer({ args: ['--min-sale-chars', '1000'] });
  admin = await adminToken(srv);
  author = await makeAuthor(srv, admin, '표지작가');
  other = await makeAuthor(srv, admin, '남의작가');
  reader = await signup(srv.base);
  book = await publishBook(srv, author, '표지를 바꾸는 밤');
});
after(async () => { await srv.stop(); });

const put = (id, body, type, token = author.token) =>
  api(srv.base, 'PUT', `/api/books/${id}/cover`, { token, raw: body, headers: { 'content-type': type } });
const bytes = async (path, init) => {
  const r = await fetch(srv.base + path, init);
  return { r, buf: Buffer.from(await r.arrayBuffer()) };
};

test('a generated cover comes with PNG renditions of 600x900 and 300x450', async () => {
  assert.match(book.coverUrl, new RegExp(`^/api/books/${book.id}/cover\\?v=[0-9a-f-]+$`));
  for (const [size, dims] of [['full', [600, 900]], ['thumb', [300, 450]]]) {
    const { r, buf } = await bytes(`/api/books/${book.id}/cover?format=png&size=${size}`);
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('content-type'), 'image/png');
    assert.deepEqual(pngSize(buf), dims);
  }
  // size defaults to full
  const { buf } = await bytes(`/api/books/${book.id}/cover?format=png`);
  assert.deepEqual(pngSize(buf), [600, 900]);
});

test('cover queries outside the contract are refused', async () => {
  for (const [q, field] of [['format=gif', 'format'], ['size=thumb', 'size'], ['format=png&size=huge', 'size']])
    problem(await api(srv.base, 'GET', `/api/books/${book.id}/cover?${q}`), 422, 'validation_failed', field);
  problem(await api(srv.base, 'GET', '/api/books/999999/cover?format=png'), 404, 'not_found');
});

test('HEAD answers a cover with the headers of GET and no body; cache headers agree', async () => {
  const path = `/api/books/${book.id}/cover?format=png&size=thumb`;
  const g = await bytes(path);
  const h = await bytes(path, { method: 'HEAD' });
  assert.equal(h.r.status, 200);
  assert.equal(h.buf.length, 0);
  for (const k of ['content-type', 'content-length', 'etag', 'cache-control'])
    assert.equal(h.r.headers.get(k), g.r.headers.get(k), k);
  assert.equal(Number(h.r.headers.get('content-length')), g.buf.length);
  // an address without the version is revalidated; the versioned one is cached for good
  assert.equal(g.r.headers.get('cache-control'), 'public, no-cache');
  const v = book.coverUrl.split('v=')[1];
  const pinned = await fetch(`${srv.base}${path}&v=${v}`);
  assert.equal(pinned.headers.get('cache-control'), 'public, max-age=31536000, immutable');
  const etag = g.r.headers.get('etag');
  assert.notEqual(etag, (await fetch(`${srv.base}/api/books/${book.id}/cover`)).headers.get('etag'));
  const again = await fetch(srv.base + path, { headers: { 'if-none-match': etag } });
  assert.equal(again.status, 304);
  assert.equal(again.headers.get('cache-control'), 'public, no-cache');
  assert.equal(again.headers.get('etag'), etag);
  const head = await fetch(`${srv.base}/api/books/999999/cover`, { method: 'HEAD' });
  assert.equal(head.status, 404);
});

test('an author uploads a JPEG cover: stored, renditions made, recorded, served to readers', async () => {
  const before = await api(srv.base, 'GET', `/api/books/${book.id}`);
  const r = await put(book.id, JPEG, 'image/jpeg');
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.notEqual(r.body.book.coverUrl, before.body.book.coverUrl);
  assert.equal(r.body.book.generatedBy.cover, '');
  const seen = await api(srv.base, 'GET', `/api/books/${book.id}`, { token: reader.token });
  assert.equal(seen.body.book.coverUrl, r.body.book.coverUrl);
  const orig = await bytes(r.body.book.coverUrl);
  assert.equal(orig.r.headers.get('content-type'), 'image/jpeg');
  assert.ok(orig.buf.equals(JPEG));
  assert.equal(orig.r.headers.get('cache-control'), 'public, max-age=31536000, immutable');
  for (const [size, dims] of [['full', [600, 900]], ['thumb', [300, 450]]]) {
    const { r: pr, buf } = await bytes(`/api/books/${book.id}/cover?format=png&size=${size}`);
    assert.equal(pr.headers.get('content-type'), 'image/png');
    assert.deepEqual(pngSize(buf), dims);
  }
  const h = await api(srv.base, 'GET', `/api/books/${book.id}/history?limit=100`, { token: author.token });
  const c = h.body.items.find((x) => x.field === 'cover');
  assert.ok(c, JSON.stringify(h.body.items));
  assert.equal(c.by, author.member.id);
  assert.equal(c.generatedBy, null);
  assert.notEqual(c.from, c.to);
  // a PNG replaces it, trailing bytes after IEND are not kept
  const p = await put(book.id, Buffer.concat([PNG_300, Buffer.from('trailing')]), 'image/png; charset=binary');
  assert.equal(p.status, 200, JSON.stringify(p.body));
  const stored = await bytes(p.body.book.coverUrl);
  assert.ok(stored.buf.equals(PNG_300));
});

test('cover refusals: type, decoding, bounds, size, owner, session; nothing changes', async () => {
  const now = (await api(srv.base, 'GET', `/api/books/${book.id}`)).body.book.coverUrl;
  problem(await put(book.id, JPEG, 'image/gif'), 415, 'unsupported_media_type');
  problem(await put(book.id, JPEG, 'application/json'), 415, 'unsupported_media_type');
  problem(await put(book.id, Buffer.from('not an image at all'), 'image/png'), 422, 'validation_failed', 'image');
  problem(await put(book.id, JPEG.subarray(0, JPEG.length - 200), 'image/jpeg'), 422, 'validation_failed', 'image');
  problem(await put(book.id, JPEG, 'image/png'), 422, 'validation_failed', 'image'); // not what it says
  problem(await put(book.id, png(299, 450), 'image/png'), 422, 'validation_failed', 'image');
  problem(await put(book.id, png(4001, 300), 'image/png'), 422, 'validation_failed', 'image');
  assert.equal((await put(book.id, png(4000, 300), 'image/png')).status, 200);
  problem(await put(book.id, Buffer.alloc(2 * 1024 * 1024 + 1, 1), 'image/png'), 413, 'payload_too_large');
  problem(await put(book.id, Buffer.alloc(0), 'image/png'), 422, 'validation_failed');
  problem(await put(book.id, JPEG, 'image/jpeg', other.token), 404, 'not_found');
  problem(await put(book.id, JPEG, 'image/jpeg', reader.token), 404, 'not_found');
  problem(await put(book.id, JPEG, 'image/jpeg', admin), 404, 'not_found');
  problem(await put(book.id, JPEG, 'image/jpeg', null), 401, 'unauthenticated');
  problem(await put(999999, JPEG, 'image/jpeg'), 404, 'not_found');
  const r = await api(srv.base, 'PUT', `/api/books/${book.id}/cover`, {
    token: author.token, raw: JPEG, headers: { 'content-type': 'image/jpeg', origin: 'https://evil.example' },
  });
  problem(r, 403, 'forbidden');
  const after = (await api(srv.base, 'GET', `/api/books/${book.id}`)).body.book.coverUrl;
  assert.notEqual(after, now); // only the one accepted upload (4000 x 300) changed it
  const { buf } = await bytes(`/api/books/${book.id}/cover?format=png&size=thumb`);
  assert.deepEqual(pngSize(buf), [300, 450]);
});

test('a one-episode book under the minimum sale length is free and cannot be priced until it is long enough', async () => {
  assert.ok([...LOREM_KO].length < 1000);
  assert.equal(book.price, 0);
  assert.deepEqual(book.priceBasis, { code: 'short_free', minutes: book.priceBasis.minutes, lengthClass: book.priceBasis.lengthClass });
  const reader2 = await signup(srv.base);
  const c = await api(srv.base, 'GET', `/api/books/${book.id}/content`, { token: reader2.token });
  assert.equal(c.status, 200); // free for anyone signed in
  const refused = await api(srv.base, 'PATCH', `/api/books/${book.id}`, { token: author.token, body: { price: 1000 } });
  problem(refused, 422, 'too_short_to_sell', 'price');
  assert.equal(refused.body.minimum, 1000);
  assert.equal(refused.body.characters, [...LOREM_KO].length);
  problem(await api(srv.base, 'PATCH', `/api/books/${book.id}/episodes/1`, { token: author.token, body: { price: 1000 } }), 422, 'too_short_to_sell', 'price');
  assert.equal((await api(srv.base, 'GET', `/api/books/${book.id}`)).body.book.price, 0);
  const longer = LOREM_KO.repeat(7);
  const e = await api(srv.base, 'PATCH', `/api/books/${book.id}/episodes/1`, { token: author.token, body: { content: longer } });
  assert.equal(e.status, 200, JSON.stringify(e.body));
  const p = await api(srv.base, 'PATCH', `/api/books/${book.id}`, { token: author.token, body: { price: 1200 } });
  assert.equal(p.status, 200, JSON.stringify(p.body));
  assert.equal(p.body.book.price, 1200);
  assert.equal(p.body.book.priceBasis, null); // "too short" no longer holds
  assert.equal(p.body.book.generatedBy.price, '');
});

test('a sold one-episode book is not shortened below the minimum sale length: 422 too_short_to_sell, nothing changes, its buyer still reads it', async () => {
  const text = LOREM_KO.repeat(7);
  const sold = await publishBook(srv, author, '팔리는 긴 이야기', text);
  assert.ok(sold.price >= 1000, JSON.stringify(sold));
  const buyer = await signup(srv.base);
  assert.equal((await api(srv.base, 'POST', '/api/me/points/charge', { token: buyer.token, body: { amount: 50000 } })).status, 201);
  assert.equal((await api(srv.base, 'POST', `/api/books/${sold.id}/purchase`, { token: buyer.token })).status, 201);
  const history = async () => (await api(srv.base, 'GET', `/api/books/${sold.id}/history?limit=100`, { token: author.token })).body.items.length;
  const before = await history();

  const short = LOREM_KO.repeat(2); // over the 100 a text needs, under the 1,000 a sale needs
  const r = await api(srv.base, 'PATCH', `/api/books/${sold.id}/episodes/1`, { token: author.token, body: { content: short } });
  problem(r, 422, 'too_short_to_sell', 'content');
  assert.equal(r.body.minimum, 1000);
  assert.equal(r.body.characters, [...short].length);
  assert.equal(await history(), before);
  const now = (await api(srv.base, 'GET', `/api/books/${sold.id}`)).body.book;
  assert.equal(now.price, sold.price);
  const c = await api(srv.base, 'GET', `/api/books/${sold.id}/content`, { token: buyer.token });
  assert.equal(c.status, 200);
  assert.equal(c.body.content, text);

  // an edit that keeps it long enough goes through
  const edited = text.replace('할머니', '할아버지');
  const ok = await api(srv.base, 'PATCH', `/api/books/${sold.id}/episodes/1`, { token: author.token, body: { content: edited } });
  assert.equal(ok.status, 200, JSON.stringify(ok.body));
  assert.equal((await api(srv.base, 'GET', `/api/books/${sold.id}/content`, { token: buyer.token })).body.content, edited);
});

test('a book long enough is sold at the AI\'s price with its basis; the author\'s price stands beside the AI\'s in the history', async () => {
  const long = await publishBook(srv, author, '충분히 긴 이야기', LOREM_KO.repeat(7));
  assert.ok(long.price >= 1000, JSON.stringify(long));
  assert.equal(long.priceBasis.code, 'length');
  assert.ok(long.priceBasis.minutes >= 1);
  assert.ok(['flash', 'short', 'novella', 'novel'].includes(long.priceBasis.lengthClass));
  assert.ok(long.generatedBy.price);
  const p = await api(srv.base, 'PATCH', `/api/books/${long.id}`, { token: author.token, body: { price: long.price + 1000 } });
  assert.equal(p.status, 200);
  assert.deepEqual(p.body.book.priceBasis, long.priceBasis); // the AI's reason stays visible
  const h = await api(srv.base, 'GET', `/api/books/${long.id}/history?limit=100`, { token: author.token });
  const prices = h.body.items.filter((x) => x.field === 'price');
  assert.deepEqual(prices.map((x) => [x.to, x.generatedBy === null, x.by]),
    [[long.price + 1000, true, author.member.id], [long.price, false, null]]);
});

test('work and author pages carry Open Graph and Twitter tags in the HTML itself, escaped', async () => {
  const title = '따옴표 "A" <b>&\'';
  const b = await publishBook(srv, author, title);
  const r = await fetch(`${srv.base}/books/${b.id}`);
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /^text\/html/);
  const html = await r.text();
  const tag = (attr, name) => {
    const m = html.match(new RegExp(`<meta ${attr}="${name}" content="([^"]*)">`));
    return m && m[1];
  };
  const esc = '따옴표 &quot;A&quot; &lt;b&gt;&amp;&#39;';
  assert.equal(tag('property', 'og:title'), esc);
  assert.equal(tag('name', 'twitter:title'), esc);
  assert.ok(!html.includes('<b>'));
  assert.match(html, new RegExp(`<title>${esc} — 걷다가서재</title>`));
  assert.equal((html.match(/<meta name="description"/g) || []).length, 1);
  assert.equal(tag('property', 'og:type'), 'book');
  assert.equal(tag('property', 'og:url'), `${srv.base}/books/${b.id}`);
  assert.equal(tag('name', 'twitter:card'), 'summary_large_image');
  const desc = tag('property', 'og:description');
  assert.ok(desc && desc.length > 0);
  const image = tag('property', 'og:image').replaceAll('&amp;', '&');
  assert.equal(image, `${srv.base}/api/books/${b.id}/cover?format=png&size=full&v=${b.coverUrl.split('v=')[1]}`);
  const png = Buffer.from(await (await fetch(image)).arrayBuffer());
  assert.deepEqual(pngSize(png), [600, 900]);
  assert.equal(tag('property', 'og:image:width'), '600');
  // the SPA still boots from it
  assert.match(html, /<script type="module" src="\/app\.js"><\/script>|app\.js/);
  // the author's page
  const a = await (await fetch(`${srv.base}/authors/${author.member.id}`)).text();
  assert.match(a, /<meta property="og:title" content="표지작가">/);
  assert.match(a, /<meta property="og:type" content="profile">/);
  assert.match(a, /<meta property="og:image" content="[^"]+\/cover\?format=png&amp;size=full&amp;v=/);
  // a hidden work, or none, is the plain shell
  await api(srv.base, 'PATCH', `/api/books/${b.id}`, { token: author.token, body: { hidden: true } });
  const plain = await (await fetch(`${srv.base}/books/${b.id}`)).text();
  assert.ok(!plain.includes('og:title'));
  const none = await fetch(`${srv.base}/books/999999`);
  assert.equal(none.status, 200);
  assert.ok(!(await none.text()).includes('og:title'));
  const head = await fetch(`${srv.base}/books/${book.id}`, { method: 'HEAD' });
  assert.equal(head.status, 200);
});

// The reader's AI over real HTTP: recaps and questions over a 12-episode serial in which every
// episode brings in a new character. Readers anywhere in the work get only what they read.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import {
  startServer, api, signup, adminToken, makeAuthor, publishSerial, publishBook, addEpisode, problem, charge, tmpDir,
} from './lib/server.mjs';
import { parseFeed } from './lib/feed.mjs';
import { NAMES, episodeText } from './lib/twelve.mjs';

const run = promisify(execFile);

let srv, work, single, authorToken, buyer;
const readers = [];

before(async () => {
  srv = await startServer();
  const admin = await adminToken(srv);
  const author = await makeAuthor(srv, admin, '달빛작가');
  authorToken = author.token;
  work = await publishSerial(srv, author, '달빛 우체국의 밤', episodeText(0));
  for (let i = 1; i < 12; i++) await addEpisode(srv, author, work.id, `${i + 1}화`, episodeText(i));
  single = await publishBook(srv, author, '한 권짜리 <이야기> & 끝', episodeText(0));
  const p = await api(srv.base, 'PATCH', `/api/books/${work.id}`, { token: author.token, body: { freeEpisodes: 12 } });
  assert.equal(p.status, 200, JSON.stringify(p.body));
  for (let k = 0; k < 12; k++) {
    const who = await signup(srv.base);
    await setProgress(who, k + 1);
    readers.push(who);
  }
});
after(async () => { await srv.stop(); });

async function setProgress(who, n) {
  const r = await api(srv.base, 'PUT', `/api/me/progress/${work.id}`, { token: who.token, body: { episode: n, anchor: 0, percent: 100 } });
  assert.equal(r.status, 200, JSON.stringify(r.body));
}

const laterNames = (progress) => NAMES.slice(progress);
const recap = (who, id = work.id) => api(srv.base, 'GET', `/api/books/${id}/recap`, { token: who?.token });
const ask = (who, question, headers = {}) => api(srv.base, 'POST', `/api/books/${work.id}/ask`, { token: who?.token, body: { question }, headers });

test('a reader at episode 5 of 12: a recap from episodes 1-5, no name from 6-12', async () => {
  const r = await recap(readers[4]);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.upTo, 5);
  assert.equal(r.body.next, 6);
  assert.equal(r.body.generatedBy, 'offline');
  assert.equal(r.body.due, true, JSON.stringify(r.body)); // seven episodes behind the latest
  assert.ok(r.body.sentences.length >= 1 && r.body.sentences.length <= 6);
  for (const s of r.body.sentences) {
    assert.ok(s.episode >= 1 && s.episode <= 5, JSON.stringify(s));
    for (const name of laterNames(5)) assert.ok(!s.text.includes(name), `${s.text} names ${name}`);
  }
});

test('questions: passages from what was read; what lies ahead is refused, in Korean or English', async () => {
  const who = readers[4];
  const a = await ask(who, '해진이 누구였지?');
  assert.equal(a.status, 200, JSON.stringify(a.body));
  assert.equal(a.body.refused, false);
  assert.equal(a.body.upTo, 5);
  assert.ok(a.body.passages.length > 0);
  assert.equal(a.body.passages[0].episode, 1);
  assert.ok(a.body.passages[0].text.includes('해진'));
  const ahead = await ask(who, '태오는 누구야?');
  assert.equal(ahead.status, 200);
  assert.equal(ahead.body.refused, true);
  assert.equal(ahead.body.message, '아직 읽지 않은 회차의 내용입니다');
  assert.deepEqual(ahead.body.passages, []);
  const en = await ask(who, 'Who is 태오?', { 'accept-language': 'en-GB,en;q=0.9' });
  assert.equal(en.body.refused, true);
  assert.equal(en.body.message, 'That is in an episode you have not read yet.');
  const later = await ask(readers[8], '태오는 누구야?');
  assert.equal(later.body.refused, false);
  assert.equal(later.body.passages[0].episode, 8);
});

test('200 recaps and answers for readers all over the work cite only what they read', async () => {
  let cited = 0;
  for (let k = 0; k < 100; k++) {
    const progress = (k % 12) + 1, who = readers[progress - 1];
    const r = await recap(who);
    assert.equal(r.status, 200);
    assert.ok(r.body.sentences.length > 0);
    const a = await ask(who, `${NAMES[(k * 7) % 12]}이 누구였지?`);
    assert.equal(a.status, 200, JSON.stringify(a.body));
    for (const item of [...r.body.sentences, ...a.body.passages]) {
      assert.ok(item.episode >= 1 && item.episode <= progress, `${progress}: ${JSON.stringify(item)}`);
      for (const name of laterNames(progress)) assert.ok(!item.text.includes(name), `${progress}: ${item.text}`);
      cited++;
    }
  }
  assert.ok(cited > 200);
});

test('a reader who has not started gets an empty recap; anonymous callers sign in first', async () => {
  const fresh = await signup(srv.base);
  const r = await recap(fresh);
  assert.equal(r.status, 200);
  assert.deepEqual(r.body.sentences, []);
  assert.equal(r.body.upTo, 0);
  assert.equal(r.body.due, false);
  assert.equal((await ask(fresh, '해진이 누구였지?')).body.refused, true);
  problem(await recap(null), 401, 'unauthenticated');
  problem(await ask(null, '해진?'), 401, 'unauthenticated');
  problem(await recap(fresh, 999999), 404, 'not_found');
});

test('bad questions are refused; questions are limited per member', async () => {
  const who = await signup(srv.base);
  await setProgress(who, 3);
  problem(await ask(who, ''), 422, 'validation_failed', 'question');
  problem(await ask(who, '누구였지?'), 422, 'validation_failed', 'question');
  problem(await ask(who, '가'.repeat(301)), 422, 'validation_failed', 'question');
  problem(await api(srv.base, 'POST', `/api/books/${work.id}/ask`, { token: who.token, body: { question: 5 } }), 400, 'invalid_json');
  let ok = 0, limited;
  for (let i = 0; i < 40 && !limited; i++) {
    const a = await ask(who, '서연이 누구였지?');
    if (a.status === 200) ok++;
    else limited = a;
  }
  assert.equal(ok, 30);
  problem(limited, 429, 'too_many_requests');
  const other = await ask(readers[2], '서연이 누구였지?'); // another member is not held back
  assert.equal(other.status, 200);
});

// The entries of a ZIP archive (names, methods, inflated bytes), read from its central directory.
function unzip(buf) {
  const entries = new Map();
  let end = buf.length - 22;
  while (end >= 0 && buf.readUInt32LE(end) !== 0x06054b50) end--;
  let at = buf.readUInt32LE(end + 16);
  const order = [];
  for (let i = 0, n = buf.readUInt16LE(end + 10); i < n; i++) {
    const method = buf.readUInt16LE(at + 10), size = buf.readUInt32LE(at + 20);
    const nameLen = buf.readUInt16LE(at + 28), extra = buf.readUInt16LE(at + 30), comment = buf.readUInt16LE(at + 32);
    const local = buf.readUInt32LE(at + 42);
    const name = buf.toString('utf8', at + 46, at + 46 + nameLen);
    const data = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const raw = buf.subarray(data, data + size);
    entries.set(name, { method, text: (method === 0 ? raw : inflateRawSync(raw)).toString('utf8') });
    order.push(name);
    at += 46 + nameLen + extra + comment;
  }
  return { entries, order };
}

test('EPUB: the episodes owned and the free ones, the buyer on the title page, valid under epubcheck', async () => {
  const p = await api(srv.base, 'PATCH', `/api/books/${work.id}`, { token: authorToken, body: { freeEpisodes: 3, episodePrice: 100 } });
  assert.equal(p.status, 200, JSON.stringify(p.body));
  buyer = await signup(srv.base, undefined, 'password1', '홍길동');
  problem(await api(srv.base, 'GET', `/api/books/${work.id}/epub`, { token: buyer.token }), 403, 'purchase_required');
  assert.equal((await charge(srv.base, buyer.token, 1000)).status, 201);
  for (const n of [5, 9]) {
    const b = await api(srv.base, 'POST', `/api/books/${work.id}/episodes/${n}/purchase`, { token: buyer.token });
    assert.equal(b.status, 201, JSON.stringify(b.body));
  }
  const r = await fetch(`${srv.base}/api/books/${work.id}/epub`, { headers: { authorization: `Bearer ${buyer.token}` } });
  assert.equal(r.status, 200);
  assert.equal(r.headers.get('content-type'), 'application/epub+zip');
  assert.match(r.headers.get('content-disposition'), /attachment; filename="walking-library-\d+\.epub"/);
  const buf = Buffer.from(await r.arrayBuffer());
  const { entries, order } = unzip(buf);
  assert.equal(order[0], 'mimetype');
  assert.equal(entries.get('mimetype').method, 0);
  const chapters = order.filter((n) => /^OEBPS\/ep\d+\.xhtml$/.test(n)).map((n) => Number(n.match(/\d+/)[0])).sort((a, b) => a - b);
  assert.deepEqual(chapters, [1, 2, 3, 5, 9]);
  assert.ok(entries.get('OEBPS/title.xhtml').text.includes('홍길동 님이 구매한 책입니다.'));
  assert.ok(entries.get('OEBPS/ep9.xhtml').text.includes(NAMES[8]));
  // the interface's language, named in the link, wins over the browser's
  const en = await fetch(`${srv.base}/api/books/${work.id}/epub?lang=en`, {
    headers: { authorization: `Bearer ${buyer.token}`, 'accept-language': 'ko-KR,ko;q=0.9' },
  });
  assert.equal(en.status, 200);
  assert.ok(unzip(Buffer.from(await en.arrayBuffer())).entries.get('OEBPS/title.xhtml').text.includes('Bought by 홍길동.'));
  const ko = await fetch(`${srv.base}/api/books/${work.id}/epub?lang=ko`, {
    headers: { authorization: `Bearer ${buyer.token}`, 'accept-language': 'en' },
  });
  assert.ok(unzip(Buffer.from(await ko.arrayBuffer())).entries.get('OEBPS/title.xhtml').text.includes('홍길동 님이 구매한 책입니다.'));
  problem(await api(srv.base, 'GET', `/api/books/${work.id}/epub?lang=fr`, { token: buyer.token }), 422, 'validation_failed', 'lang');
  const file = join(tmpDir('epub'), 'book.epub');
  writeFileSync(file, buf);
  problem(await api(srv.base, 'GET', `/api/books/${work.id}/epub`), 401, 'unauthenticated');
  problem(await api(srv.base, 'GET', '/api/books/999999/epub', { token: buyer.token }), 404, 'not_found');
  // Debian's epubcheck (its jar: jarwrapper's binfmt entry is not there in containers)
  const { stdout, stderr } = await run('java', ['-jar', '/usr/share/java/epubcheck.jar', file]);
  assert.match(stdout + stderr, /No errors or warnings detected/, stdout + stderr);
});

const links = (item) => item['atom:link'].map((l) => l['@']);

test('OPDS: a catalog of exactly the member\'s works, downloads by its token, 404 once revoked', async () => {
  const me = (method, who) => api(srv.base, method, '/api/me/opds', { token: who.token });
  assert.deepEqual((await me('GET', buyer)).body.opds, { active: false, createdAt: null, url: null });
  const made = await me('POST', buyer);
  assert.equal(made.status, 201);
  assert.equal(made.body.opds.active, true);
  const url = made.body.opds.url;
  assert.match(url, /\/opds\/[A-Za-z0-9_-]{43}\/$/);
  assert.equal((await me('GET', buyer)).body.opds.url, null); // shown once
  const path = new URL(url).pathname;

  const other = await signup(srv.base, undefined, 'password1', '김독자');
  await charge(srv.base, other.token, 50000);
  assert.equal((await api(srv.base, 'POST', `/api/books/${single.id}/purchase`, { token: other.token })).status, 201);
  const otherPath = new URL((await me('POST', other)).body.opds.url).pathname;

  const r = await fetch(srv.base + path);
  assert.equal(r.status, 200);
  assert.equal(r.headers.get('content-type'), 'application/atom+xml;profile=opds-catalog;kind=acquisition; charset=utf-8');
  const feed = await parseFeed(await r.text());
  assert.equal(feed.meta['#type'], 'atom');
  assert.deepEqual(feed.items.map((i) => i.title), [work.title]);
  const acq = links(feed.items[0]).find((l) => l.rel === 'http://opds-spec.org/acquisition');
  assert.equal(acq.type, 'application/epub+zip');
  const dl = await fetch(new URL(new URL(acq.href).pathname, srv.base));
  assert.equal(dl.status, 200);
  assert.equal(dl.headers.get('content-type'), 'application/epub+zip');
  const chapters = unzip(Buffer.from(await dl.arrayBuffer())).order.filter((n) => /ep\d+\.xhtml$/.test(n));
  assert.equal(chapters.length, 5);

  const theirs = await parseFeed(await (await fetch(srv.base + otherPath)).text());
  assert.deepEqual(theirs.items.map((i) => i.title), [single.title]);
  // one member's token opens nothing of what only another owns
  problem(await api(srv.base, 'GET', `${otherPath}books/${work.id}.epub`), 403, 'purchase_required');

  assert.equal((await me('DELETE', buyer)).status, 204);
  problem(await api(srv.base, 'GET', path), 404, 'not_found');
  problem(await api(srv.base, 'GET', `${path}books/${work.id}.epub`), 404, 'not_found');
  assert.equal((await me('DELETE', buyer)).status, 204);
  const again = new URL((await me('POST', other)).body.opds.url).pathname; // a new one replaces
  problem(await api(srv.base, 'GET', otherPath), 404, 'not_found');
  assert.equal((await fetch(srv.base + again)).status, 200);
  // a deleted account's catalog goes with it
  assert.equal((await api(srv.base, 'POST', '/api/me/delete', { token: other.token, body: { password: 'password1' } })).status, 204);
  problem(await api(srv.base, 'GET', again), 404, 'not_found');
  problem(await api(srv.base, 'GET', '/opds/not-a-token-at-all-xxxxxxxxx/'), 404, 'not_found');
  problem(await me('POST', { token: null }), 401, 'unauthenticated');
});

// Atom feeds of a work and of an author, read back by a real feed parser (feedparser).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseFeed as parse } from './lib/feed.mjs';
import { startServer, adminToken, makeAuthor, publishBook, signup, LOREM_KO } from './lib/server.mjs';

const MARKER = '이 문장은 본문의 맨 끝에만 있는 비밀 문장이다.';

test('a work and an author have Atom feeds with only what anyone may see', async (t) => {
  const srv = await startServer({ args: ['--public-url', 'https://library.test'] });
  t.after(() => srv.stop());
  const admin = await adminToken(srv);
  const author = await makeAuthor(srv, admin, '윤서재 & "동료"');
  const first = await publishBook(srv, author, '시간의 서랍 <1부> & 끝', `${LOREM_KO}\n${LOREM_KO}\n${MARKER}`);
  const second = await publishBook(srv, author, '달 아래의 기억들');

  const r = await fetch(`${srv.base}/books/${first.id}/feed.atom`);
  assert.equal(r.status, 200);
  assert.equal(r.headers.get('content-type'), 'application/atom+xml; charset=utf-8');
  const xml = await r.text();
  assert.match(xml, /^<\?xml version="1.0" encoding="UTF-8"\?>\n<feed xml:lang="ko" xmlns="http:\/\/www\.w3\.org\/2005\/Atom">/);
  assert.ok(!xml.includes(MARKER), 'no text of the work in its feed');
  const work = await parse(xml);
  assert.equal(work.meta['#type'], 'atom');
  assert.equal(work.meta.title, '시간의 서랍 <1부> & 끝');
  assert.equal(work.meta['atom:id']['#'], `https://library.test/books/${first.id}`);
  assert.equal(work.meta.link, `https://library.test/books/${first.id}`);
  assert.equal(work.meta.xmlurl, `https://library.test/books/${first.id}/feed.atom`);
  assert.equal(work.meta.author, '윤서재 & "동료"');
  assert.equal(work.items.length, 1);
  const [entry] = work.items;
  assert.equal(entry.title, '시간의 서랍 <1부> & 끝');
  assert.equal(entry.guid, `https://library.test/books/${first.id}/episodes/1`);
  assert.equal(entry.link, `https://library.test/books/${first.id}`);
  assert.equal(entry.summary, first.summary);
  assert.equal(entry.pubdate.toISOString().slice(0, 19), first.publishedAt.slice(0, 19));
  for (const it of work.items) // Atom's MUSTs per entry (RFC 4287 4.1.2)
    assert.ok(it['atom:id'] && it['atom:title'] && it['atom:updated'], 'id, title, updated');

  const a = await fetch(`${srv.base}/authors/${author.member.id}/feed.atom`);
  assert.equal(a.status, 200);
  const byAuthor = await parse(await a.text());
  assert.equal(byAuthor.meta.title, '윤서재 & "동료"');
  assert.deepEqual(byAuthor.items.map((i) => i.title), ['달 아래의 기억들', '시간의 서랍 <1부> & 끝'], 'newest first');
  assert.equal(byAuthor.meta.date.toISOString().slice(0, 19), second.publishedAt.slice(0, 19));

  assert.equal((await fetch(`${srv.base}/books/999999/feed.atom`)).status, 404);
  const reader = await signup(srv.base);
  assert.equal((await fetch(`${srv.base}/authors/${reader.member.id}/feed.atom`)).status, 404, 'not an author');
});

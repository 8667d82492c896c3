// A real feed parser (feedparser) over an Atom document, as feed readers and OPDS clients read it.
import { Readable } from 'node:stream';
import FeedParser from 'feedparser';

/** Parses an Atom document; resolves {meta, items} or rejects on anything not a feed. */
export function parseFeed(xml) {
  return new Promise((resolve, reject) => {
    const fp = new FeedParser({ addmeta: false });
    const items = [];
    let meta;
    fp.on('error', reject);
    fp.on('meta', (m) => { meta = m; });
    fp.on('readable', () => { let it; while ((it = fp.read())) items.push(it); });
    fp.on('end', () => resolve({ meta, items }));
    Readable.from([xml]).pipe(fp);
  });
}

#!/usr/bin/env node
// The members buying points while the provider is slow (bench/slow_provider.sh): each buyer
// orders 1,000 P, pays at the fake Toss's checkout and confirms (the server asks the provider,
// which answers in WL_BENCH_SLOW_MS), again and again until DIR/slow.stop exists. Each confirm's
// status is appended to DIR/slow-N.txt, a failed order to DIR/slow-N.txt.err.
//
// One process with keep-alive connections: a buyer costs the machine a few requests' worth of
// CPU, not three curl and sed processes a purchase (which took a tenth of both cores away from
// the scenarios being measured).
//
// usage: node bench/slow_buyers.mjs URL TOSS TOKENS_FILE DIR
import { appendFileSync, existsSync, readFileSync } from 'node:fs';

const [url, toss, tokensFile, dir] = process.argv.slice(2);
const tokens = readFileSync(tokensFile, 'utf8').split('\n').filter(Boolean);
const stopped = () => existsSync(`${dir}/slow.stop`);
const sleep = (ms) => new Promise((res) => setTimeout(res, ms));

async function post(where, body, token) {
  const headers = { 'Content-Type': 'application/json' };
  if (token) headers.Authorization = `Bearer ${token}`;
  try {
    const res = await fetch(where, { method: 'POST', headers, body: JSON.stringify(body) });
    return { status: res.status, text: await res.text() };
  } catch (e) {
    return { status: 0, text: String(e) };
  }
}

async function buyer(token, n) {
  const out = `${dir}/slow-${n}.txt`;
  while (!stopped()) {
    const order = await post(`${url}/api/me/points/orders`, { amount: 1000 }, token);
    const id = /"order":\{"id":(\d+)/.exec(order.text)?.[1];
    const orderId = /"orderId":"([^"]*)"/.exec(order.text)?.[1];
    if (!id || !orderId) {
      appendFileSync(`${out}.err`, `order ${order.status} ${order.text}\n`);
      await sleep(200);
      continue;
    }
    const auth = await post(`${toss}/__fake/authorize`, { orderId, amount: 1000 });
    const paymentKey = /"paymentKey":"([^"]*)"/.exec(auth.text)?.[1] ?? '';
    const confirm = await post(`${url}/api/me/points/orders/${id}/confirm`, { paymentKey, amount: 1000 }, token);
    appendFileSync(out, `${confirm.status}\n`);
  }
}

await Promise.all(tokens.map((t, i) => buyer(t, i + 1)));

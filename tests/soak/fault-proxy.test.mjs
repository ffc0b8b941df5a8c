// The fault-injecting proxy's own tests (node --test): each fault does to a call what it says,
// against a small upstream that records what reached it, and the same seed draws the same
// faults.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { FaultProxy, FAULTS } from "./fault-proxy.mjs";
import { seeded } from "./seeded.mjs";

/** An upstream that answers each call with the body it received, and keeps the calls whose
 * body it read to the end. */
async function upstream() {
  const received = [];
  const server = createServer((req, res) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString();
      received.push({ method: req.method, url: req.url, body });
      res.writeHead(201, { "content-type": "application/json" }).end(JSON.stringify({ echoed: body, pad: "x".repeat(2_000) }));
    });
    req.on("error", () => {});
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${server.address().port}`, received, close: () => new Promise((r) => server.close(r)) };
}

/** Runs `check(proxy, upstream)` with a proxy that injects only `kind`, on every API call,
 * in front of a fresh upstream; closes both after. */
async function withProxy(kind, check) {
  const up = await upstream();
  const proxy = new FaultProxy({ target: up.url, random: seeded(7), rate: 1, faults: [kind] });
  await proxy.start();
  try {
    await check(proxy, up);
  } finally {
    await proxy.close();
    await up.close();
  }
}

const BODY = JSON.stringify({ visit: "a".repeat(20_000) });
const put = (url) => fetch(`${url}/api/v1/visits/1`, { method: "PUT", body: BODY, headers: { "content-type": "application/json" } });

for (const status of [500, 503, 429]) {
  test(`refuse_${status}: answered ${status} and the server never sees the call`, async () => {
    await withProxy(`refuse_${status}`, async (proxy, up) => {
      const res = await put(proxy.url);
      assert.equal(res.status, status);
      assert.equal(res.headers.get("retry-after"), status === 500 ? null : "1");
      assert.equal(up.received.length, 0);
      assert.equal(proxy.injected[`refuse_${status}`], 1);
    });
  });
}

test("cut_request: the phone's call fails and the server never reads a whole body", async () => {
  await withProxy("cut_request", async (proxy, up) => {
    await assert.rejects(put(proxy.url));
    await new Promise((r) => setTimeout(r, 100));
    assert.ok(up.received.every((call) => call.body.length < BODY.length), "no whole body reached the server");
    assert.equal(proxy.injected.cut_request, 1);
  });
});

for (const kind of ["cut_answer", "lose_answer"]) {
  test(`${kind}: the server takes the whole call, the phone does not get its answer`, async () => {
    await withProxy(kind, async (proxy, up) => {
      await assert.rejects(async () => {
        const res = await put(proxy.url);
        await res.text();
    });
    assert.equal(up.received.length, 1);
    assert.equal(up.received[0].body, BODY);
    });
  });
}

test("delay: the call arrives whole, at least 0.2 s later", async () => {
  await withProxy("delay", async (proxy) => {
    const started = Date.now();
    const res = await put(proxy.url);
    assert.equal(res.status, 201);
    assert.equal((await res.json()).echoed, BODY);
    assert.ok(Date.now() - started >= 200);
  });
});

test("the app's files pass untouched, and a server that is down is a 502", async () => {
  await withProxy("refuse_503", async (proxy, up) => {
    const page = await fetch(`${proxy.url}/index.html`);
    assert.equal(page.status, 201);
    assert.equal(proxy.injected.pass, 1);
    await up.close();
    proxy.rate = 0;
    assert.equal((await fetch(`${proxy.url}/api/v1/health`)).status, 502);
  });
});

test("the same seed draws the same faults, at about the rate asked", () => {
  const draws = (seed) => {
    const proxy = new FaultProxy({ target: "http://127.0.0.1:1", random: seeded(seed), rate: 0.3 });
    return Array.from({ length: 2_000 }, () => proxy.draw());
  };
  assert.deepEqual(draws(11), draws(11));
  assert.notDeepEqual(draws(11), draws(12));
  const faults = draws(11).filter((kind) => kind !== "pass");
  assert.ok(faults.length > 500 && faults.length < 700, `${faults.length} faults in 2000 at 0.3`);
  for (const kind of FAULTS) assert.ok(faults.includes(kind), `${kind} drawn`);
});

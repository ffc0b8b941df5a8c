// The links and phones the browser benchmarks throttle to, through the DevTools protocol:
// Lighthouse's mobile profile and a 2G one. One place for the cold load, the drain and the
// peer's benchmarks.

/** Bytes a second from kilobits a second. */
export const kbps = (n) => (n * 1000) / 8;

/** `cpu`: how many times slower; `latency`: round trip in ms; `down`/`up`: bytes a second. */
export const PROFILES = [
  { name: "Lighthouse mobile (CPU 4x, 150 ms RTT, 1.6 Mbps down)", short: "Lighthouse mobile", cpu: 4, latency: 150, down: kbps(1638.4), up: kbps(750) },
  { name: "2G (CPU 4x, 800 ms RTT, 250 kbps down)", short: "2G", cpu: 4, latency: 800, down: kbps(250), up: kbps(50) },
];

/** Lighthouse's mobile link, as `Network.emulateNetworkConditions` takes it. */
export const LIGHTHOUSE_LINK = { offline: false, latency: PROFILES[0].latency, downloadThroughput: PROFILES[0].down, uploadThroughput: PROFILES[0].up };

/** Throttles `page` (of `context`) to `profile` through the DevTools protocol and counts the
 * bytes that come over the wire (as sent, compressed); resolves with a function giving the
 * count so far. */
export async function throttled(context, page, profile) {
  const cdp = await context.newCDPSession(page);
  await cdp.send("Network.enable");
  await cdp.send("Network.emulateNetworkConditions", { offline: false, latency: profile.latency, downloadThroughput: profile.down, uploadThroughput: profile.up });
  await cdp.send("Emulation.setCPUThrottlingRate", { rate: profile.cpu });
  let bytes = 0;
  cdp.on("Network.loadingFinished", (event) => (bytes += event.encodedDataLength));
  return () => bytes;
}

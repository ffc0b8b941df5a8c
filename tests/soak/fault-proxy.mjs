// A fault-injecting HTTP proxy on loopback, in front of the real server, for the fault soak
// (soak.mjs). Pages and the app's files pass untouched; each call to the API (`/api/`) draws,
// from a seeded random source, one of:
//   pass         forwarded as it is
//   delay        forwarded after 0.2–3 s
//   refuse_500   answered 500 without reaching the server
//   refuse_503   answered 503 with Retry-After: 1, without reaching the server
//   refuse_429   answered 429 with Retry-After: 1, without reaching the server
//   cut_request  the request's body cut short: part of it reaches the server, then both
//                connections are closed
//   cut_answer   the server answers in full; the phone gets the head and half the body, then
//                the connection is closed
//   lose_answer  the server answers in full; the phone gets nothing, the connection closed
// with the chance `rate` of any fault and the faults equally likely. While the server is down
// the proxy answers 502, as a reverse proxy in front of it would. It counts what it injected.
import { createServer, request as forward } from "node:http";

export const FAULTS = ["delay", "refuse_500", "refuse_503", "refuse_429", "cut_request", "cut_answer", "lose_answer"];

export class FaultProxy {
  /** `target`: the server's origin (http://127.0.0.1:PORT); `random`: a seeded source of
   * numbers in [0, 1); `rate`: the chance that an API call meets a fault; `faults`: which. */
  constructor({ target, random, rate = 0, faults = FAULTS }) {
    this.target = new URL(target);
    this.random = random;
    this.rate = rate;
    this.faults = faults;
    /** How many of each kind were drawn (`pass` included). */
    this.injected = Object.fromEntries(["pass", ...FAULTS].map((kind) => [kind, 0]));
    this.server = null;
    this.url = null;
  }

  /** Listens on a free loopback port; resolves with its origin. */
  async start() {
    this.server = createServer((req, res) => this.handle(req, res));
    // The phones' idle connections are cut at a fault: no time is spent waiting on them.
    this.server.keepAliveTimeout = 1_000;
    await new Promise((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    this.url = `http://127.0.0.1:${this.server.address().port}`;
    return this.url;
  }

  async close() {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  /** The next fault for an API call (or "pass"), from the seeded source. */
  draw() {
    if (this.rate <= 0 || this.random() >= this.rate) return "pass";
    return this.faults[Math.floor(this.random() * this.faults.length)];
  }

  /** Faults injected so far, `pass` left out. */
  faultCount() {
    return FAULTS.reduce((sum, kind) => sum + this.injected[kind], 0);
  }

  handle(req, res) {
    const kind = req.url.startsWith("/api/") ? this.draw() : "pass";
    this.injected[kind] += 1;
    switch (kind) {
      case "refuse_500":
      case "refuse_503":
      case "refuse_429": {
        const status = Number(kind.slice(-3));
        req.resume();
        const headers = { "content-type": "text/plain; charset=utf-8", ...(status === 500 ? {} : { "retry-after": "1" }) };
        res.writeHead(status, headers).end(`fault injected: ${status}`);
        return;
      }
      case "delay": {
        req.pause();
        const wait = 200 + Math.floor(this.random() * 2_800);
        setTimeout(() => this.pass(req, res), wait);
        return;
      }
      case "cut_request":
        return this.cutRequest(req, res);
      case "cut_answer":
      case "lose_answer":
        return this.spoilAnswer(req, res, kind);
      default:
        return this.pass(req, res);
    }
  }

  upstream(req, onResponse) {
    return forward({ host: this.target.hostname, port: this.target.port, method: req.method, path: req.url, headers: req.headers }, onResponse);
  }

  /** Forwards the call and its answer untouched; 502 when the server cannot be reached. */
  pass(req, res) {
    const call = this.upstream(req, (answer) => {
      res.writeHead(answer.statusCode, answer.headers);
      answer.pipe(res);
    });
    call.on("error", () => {
      if (!res.headersSent) res.writeHead(502, { "content-type": "text/plain; charset=utf-8" }).end("server unreachable");
      else res.destroy();
    });
    // Resumes a request the delay paused.
    req.pipe(call);
  }

  /** Sends the server the start of the body (the head and the first chunk), then closes
   * both connections; a call without a body is cut before it is sent. */
  cutRequest(req, res) {
    const call = this.upstream(req, () => {});
    call.on("error", () => {});
    const length = Number(req.headers["content-length"] ?? 0);
    const cut = () => {
      call.destroy();
      res.destroy();
    };
    if (!(length > 0)) {
      call.flushHeaders();
      setTimeout(cut, 20);
      return;
    }
    req.once("data", (chunk) => {
      call.write(chunk.subarray(0, Math.max(1, Math.floor(Math.min(chunk.length, length - 1) / 2))));
      setTimeout(cut, 20);
    });
  }

  /** Forwards the call; when the server has answered in full, gives the phone only the
   * head and half the body (`cut_answer`) or nothing (`lose_answer`) and closes. */
  spoilAnswer(req, res, kind) {
    const call = this.upstream(req, (answer) => {
      const chunks = [];
      answer.on("data", (chunk) => chunks.push(chunk));
      answer.on("end", () => {
        if (kind === "lose_answer") return res.destroy();
        const body = Buffer.concat(chunks);
        const headers = { ...answer.headers, "content-length": String(body.length) };
        delete headers["transfer-encoding"];
        res.writeHead(answer.statusCode, headers);
        res.write(body.subarray(0, Math.floor(body.length / 2)));
        // Written out before the connection goes, so the phone meets a short body.
        setTimeout(() => res.destroy(), 20);
      });
    });
    call.on("error", () => res.destroy());
    req.pipe(call);
  }
}

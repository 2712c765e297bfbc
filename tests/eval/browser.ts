/**
 * Headless Chromium driven over the DevTools protocol (a WebSocket; no npm dependency): open a
 * page, collect its console errors and exceptions, evaluate expressions, take screenshots.
 * Used by report_browser_test.ts. The browser is `$CHROMIUM`, else the first of `chromium`,
 * `chromium-browser`, `google-chrome` on the PATH (Debian: `apt-get install chromium`).
 */

/** The Chromium executable, or null when none is installed. */
export function findChromium(): string | null {
  const env = Deno.env.get("CHROMIUM");
  const names = env ? [env] : ["chromium", "chromium-browser", "google-chrome"];
  for (const name of names) {
    if (name.includes("/")) {
      try {
        if (Deno.statSync(name).isFile) return name;
      } catch { /* not there */ }
      continue;
    }
    for (const dir of (Deno.env.get("PATH") ?? "").split(":")) {
      try {
        if (dir && Deno.statSync(`${dir}/${name}`).isFile) return `${dir}/${name}`;
      } catch { /* not there */ }
    }
  }
  return null;
}

type Pending = { resolve: (v: unknown) => void; reject: (e: Error) => void };

/** One page of a headless Chromium, and what its console reported. */
export class BrowserPage {
  /** Console errors and uncaught exceptions, in order. */
  readonly errors: string[] = [];
  #ws: WebSocket;
  #session = "";
  #id = 0;
  #pending = new Map<number, Pending>();
  #waiters: { method: string; resolve: () => void }[] = [];

  private constructor(
    ws: WebSocket,
    private readonly proc: Deno.ChildProcess,
    private readonly profile: string,
  ) {
    this.#ws = ws;
    ws.onmessage = (e) => this.#onMessage(JSON.parse(e.data as string));
  }

  /** Start Chromium headless and open a blank page (console and exceptions recorded). */
  static async launch(
    executable: string,
    size = { width: 1200, height: 900 },
  ): Promise<BrowserPage> {
    const profile = await Deno.makeTempDir({ prefix: "e2llm-chromium-" });
    const proc = new Deno.Command(executable, {
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--no-default-browser-check",
        "--hide-scrollbars",
        "--remote-debugging-port=0",
        `--user-data-dir=${profile}`,
        `--window-size=${size.width},${size.height}`,
        "about:blank",
      ],
      stdout: "null",
      stderr: "piped",
    }).spawn();
    const url = await devtoolsUrl(proc.stderr);
    const ws = new WebSocket(url);
    await new Promise<void>((ok, fail) => {
      ws.onopen = () => ok();
      ws.onerror = () => fail(new Error(`cannot connect to Chromium's DevTools at ${url}`));
    });
    const page = new BrowserPage(ws, proc, profile);
    const { targetId } = await page.#send("Target.createTarget", { url: "about:blank" }) as {
      targetId: string;
    };
    const { sessionId } = await page.#send("Target.attachToTarget", {
      targetId,
      flatten: true,
    }) as {
      sessionId: string;
    };
    page.#session = sessionId;
    await page.#send("Page.enable");
    await page.#send("Runtime.enable");
    await page.#send("Log.enable");
    await page.#send("Emulation.setDeviceMetricsOverride", {
      ...size,
      deviceScaleFactor: 1,
      mobile: false,
    });
    return page;
  }

  /** Navigate to `url` and wait for its load event. */
  async goto(url: string): Promise<void> {
    const loaded = this.#next("Page.loadEventFired");
    const r = await this.#send("Page.navigate", { url }) as { errorText?: string };
    if (r.errorText) throw new Error(`cannot open ${url}: ${r.errorText}`);
    await loaded;
  }

  /** The value of a JavaScript expression in the page (awaited; JSON-serialisable). */
  async evaluate<T>(expression: string): Promise<T> {
    const r = await this.#send("Runtime.evaluate", {
      expression,
      returnByValue: true,
      awaitPromise: true,
    }) as { result: { value: T }; exceptionDetails?: { text: string } };
    if (r.exceptionDetails) throw new Error(`evaluate failed: ${r.exceptionDetails.text}`);
    return r.result.value;
  }

  /** A PNG of the viewport (the top of the page), or of the element `selector` matches. */
  async screenshot(selector?: string): Promise<Uint8Array> {
    let clip;
    if (selector) {
      clip = await this.evaluate<{ x: number; y: number; width: number; height: number }>(
        `(() => { const r = document.querySelector(${JSON.stringify(selector)})` +
          `.getBoundingClientRect(); return { x: r.x + scrollX, y: r.y + scrollY, ` +
          `width: r.width, height: r.height }; })()`,
      );
    }
    const r = await this.#send("Page.captureScreenshot", {
      format: "png",
      ...(clip ? { clip: { ...clip, scale: 1 }, captureBeyondViewport: true } : {}),
    }) as { data: string };
    return Uint8Array.from(atob(r.data), (c) => c.charCodeAt(0));
  }

  /** Close the browser and remove its profile. */
  async close(): Promise<void> {
    try {
      await this.#send("Browser.close", {}, false).catch(() => {});
    } finally {
      this.#ws.close();
      try {
        this.proc.kill("SIGKILL");
      } catch { /* already gone */ }
      await this.proc.status;
      await this.proc.stderr.cancel().catch(() => {});
      await Deno.remove(this.profile, { recursive: true }).catch(() => {});
    }
  }

  #send(method: string, params: object = {}, inSession = true): Promise<unknown> {
    const id = ++this.#id;
    const msg = {
      id,
      method,
      params,
      ...(inSession && this.#session ? { sessionId: this.#session } : {}),
    };
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#ws.send(JSON.stringify(msg));
    });
  }

  #next(method: string): Promise<void> {
    return new Promise((resolve) => this.#waiters.push({ method, resolve }));
  }

  // deno-lint-ignore no-explicit-any
  #onMessage(m: any): void {
    if (m.id !== undefined) {
      const p = this.#pending.get(m.id);
      this.#pending.delete(m.id);
      if (m.error) p?.reject(new Error(`${m.error.message} (${m.error.code})`));
      else p?.resolve(m.result);
      return;
    }
    if (m.method === "Runtime.consoleAPICalled" && m.params.type === "error") {
      this.errors.push(
        // deno-lint-ignore no-explicit-any
        `console.error: ${m.params.args.map((a: any) => a.value ?? a.description).join(" ")}`,
      );
    } else if (m.method === "Runtime.exceptionThrown") {
      const d = m.params.exceptionDetails;
      this.errors.push(`exception: ${d.exception?.description ?? d.text}`);
    } else if (m.method === "Log.entryAdded" && m.params.entry.level === "error") {
      this.errors.push(`log: ${m.params.entry.text} ${m.params.entry.url ?? ""}`.trim());
    }
    this.#waiters = this.#waiters.filter((w) => {
      if (w.method !== m.method) return true;
      w.resolve();
      return false;
    });
  }
}

/** Read Chromium's stderr until it prints its DevTools WebSocket address. */
async function devtoolsUrl(stderr: ReadableStream<Uint8Array>): Promise<string> {
  const reader = stderr.getReader();
  const decoder = new TextDecoder();
  let text = "";
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const { value, done } = await reader.read();
    if (done) break;
    text += decoder.decode(value);
    const m = text.match(/DevTools listening on (ws:\/\/\S+)/);
    if (m) {
      reader.releaseLock();
      // keep draining stderr so Chromium never blocks on a full pipe
      stderr.pipeTo(new WritableStream()).catch(() => {});
      return m[1];
    }
  }
  reader.releaseLock();
  throw new Error(`Chromium did not start its DevTools server; it printed:\n${text.slice(-2000)}`);
}

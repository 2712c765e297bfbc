/**
 * Training progress: a bar with ETA on a terminal (`cli-progress`), plain periodic lines otherwise
 * (CI logs, pipes), and nothing at all when `quiet`.
 */
import cliProgress from "cli-progress";
import process from "node:process";

/** What the loop reports after each logged step. */
export interface ProgressInfo {
  step: number;
  loss: number;
  lr: number;
  tokensPerSecond: number;
}

/** A progress sink. */
export interface Progress {
  update(info: ProgressInfo): void;
  stop(): void;
}

/** A bar on a TTY, plain lines otherwise; `label` prefixes every line. */
export function createProgress(total: number, label: string, quiet = false): Progress {
  if (quiet) return { update() {}, stop() {} };
  if (Deno.stderr.isTerminal()) {
    const bar = new cliProgress.SingleBar({
      format: `${label} [{bar}] {value}/{total} | loss {loss} | {tps} tok/s | ETA {eta_formatted}`,
      stream: process.stderr,
      hideCursor: true,
    }, cliProgress.Presets.shades_classic);
    bar.start(total, 0, { loss: "-", tps: "-" });
    return {
      update: (i) =>
        bar.update(i.step, { loss: i.loss.toFixed(4), tps: i.tokensPerSecond.toFixed(0) }),
      stop: () => bar.stop(),
    };
  }
  const started = performance.now();
  return {
    update(i) {
      const elapsed = (performance.now() - started) / 1000;
      const eta = i.step > 0 ? elapsed / i.step * (total - i.step) : 0;
      console.error(
        `${label} step ${i.step}/${total} loss ${i.loss.toFixed(4)} lr ${i.lr.toExponential(2)} ` +
          `${i.tokensPerSecond.toFixed(0)} tok/s eta ${eta.toFixed(0)}s`,
      );
    },
    stop() {},
  };
}

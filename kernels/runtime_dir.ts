/**
 * @module
 * Keep a headless GPU start quiet: Mesa's Vulkan/GL drivers load the Wayland client library, whose
 * connect attempt prints `error: XDG_RUNTIME_DIR is invalid or not set in the environment.` (twice)
 * when that variable is unset or not an absolute path. Compute needs no display, so the line is
 * not an error of the user's; setting a default before the first adapter request keeps it away.
 */

/**
 * When `XDG_RUNTIME_DIR` is unset (or not an absolute path), set it in this process to the
 * per-user runtime folder `/run/user/<uid>` if it exists, else to the temp folder (`TMPDIR` or
 * `/tmp`). A value the user set is kept. Returns the value now in effect, or undefined where the
 * runtime has no environment access (a browser, or Deno without `--allow-env`).
 */
export function ensureRuntimeDir(): string | undefined {
  if (typeof Deno === "undefined") return undefined;
  try {
    const current = Deno.env.get("XDG_RUNTIME_DIR");
    if (current?.startsWith("/")) return current;
    const fallback = userRuntimeDir() ?? Deno.env.get("TMPDIR") ?? "/tmp";
    Deno.env.set("XDG_RUNTIME_DIR", fallback);
    return fallback;
  } catch {
    return undefined; // no env permission: leave the environment alone
  }
}

function userRuntimeDir(): string | undefined {
  try {
    const dir = `/run/user/${Deno.uid()}`;
    return Deno.statSync(dir).isDirectory ? dir : undefined;
  } catch {
    return undefined;
  }
}

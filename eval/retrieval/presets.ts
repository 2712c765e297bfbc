/**
 * @module
 * The retrieval settings of the `smoke` and `standard` presets (spread into their `data` and
 * `eval` sections by presets.ts), and what they rest on.
 *
 * Measured (issue 14; d128 / 4 layers, R = 128, batch 16, lr 3e-3 → 3e-4, warmup 30, text corpus;
 * `deno task train --config f.json --out d`, then `deno task eval --checkpoint <ckpt> --lengths 128
 * --windows 1 --passkey-trials 10 --retrieval-trials 10 --retrieval-tasks needle,recall,passkey`
 * (+ `--key-digits`/`--recall-pairs` of the run); 50 needle answers per cell; exact / char accuracy
 * / mean answer log-prob; h5 = helper h5's runs, e1…e6 = h10's, all on a shared 2-core machine):
 *
 * | run: mix                                                  | step | needle          | recall          |
 * | --------------------------------------------------------- | ---- | --------------- | --------------- |
 * | h5 A: rate 0.5 needle+recall, 4 digits, 4 pairs, weight 1 | 600  | 0 % .08 −2.32   | 0 % .10 −2.31   |
 * | h5 B: same, answer weight 16                              | 600  | 0 % .09 −2.30   | 0 % .10 −2.31   |
 * | e1: passkeyRate 0.5, passkeyLoss answer (old path)        | 400  | 0 % .10 −4.17   | 0 % .06 −4.14   |
 * | e2: rate 1.0 (no text rows), 4 digits, 4 pairs            | 100  | 0 % .26 −2.12   | 0 % .12 −2.29   |
 * | e2                                                        | 200  | 0 % .29 −1.90   | 0 % .15 −2.24   |
 * | e2                                                        | 400  | 0 % .34 −1.68   | 0 % .19 −2.18   |
 * | e3: rate 0.75, 4 digits, 6 pairs, weight 16               | 150  | 0 % .11 −2.31   | 0 % .10 −2.31   |
 * | e4: rate 0.75, 2 digits, 8 pairs, weight 16               | 100  | 0 % .14 −2.31   | 1 % .12 −2.31   |
 * | e4 (2 digits: chance exact 1 %)                           | 400  | 0 % .15 −2.30   | 1 % .11 −2.31   |
 * | e3                                                        | 600  | 0 % .08 −2.31   | 0 % .08 −2.30   |
 * | e5: e2's weights, then 300 steps of h5 B's mix            | +300 | 0 % .26 −1.70   | 0 % .15 −2.20   |
 * | e6: e2's weights, then 300 more steps at rate 1.0         | +300 | 2 % .38 −1.49   | 1 % .21 −2.10   |
 *
 * (e1's old passkey scorer: 0 % at steps 100–400, n = 50.) ln 10 = 2.303: a log-prob of −2.30 is
 * the model spreading its mass evenly over the 10 digits — it learned the format, not the lookup.
 * This is NOT an alignment bug (tests/eval/retrieval_alignment_test.ts: training weights sit on the
 * targets that spell the stated value; evaluation reads those same targets): it is the plateau
 * before a content-lookup (induction) head forms. Only the retrieval-only stream (e2, e6) left it, and
 * slowly (char accuracy .26 → .38 over 700 steps); a retrieval-only warm-up survives text coming
 * back (e5) but is far from the 90 % goal. So the goal (standard control ≥ 90 %
 * in-window on needle and recall) is NOT reached by any measured mix; the values below are h5's,
 * kept unchanged (the only run off the plateau while training on text, e5, needs a retrieval-only
 * warm-up that the data config cannot express, and its text PPL suffered: 46.8 vs e3's 27.1), and the report's gate
 * states the outcome. Details and commands: /work/notes/h10-retrieval-learn.md (h10's note).
 *
 * Second round (session 5; same model and optimizer, retrieval-only rows (rate 1, needle + recall,
 * 4 digits, 4 pairs, weight 1) unless said; "hit by answer byte" = teacher-forced arg-max hits
 * at the 4 answer bytes, 30 needle / 120 recall answers at 128 tokens, test split):
 *
 * | run                                                            | steps | needle hits by byte | recall hits by byte |
 * | -------------------------------------------------------------- | ----- | ------------------- | ------------------- |
 * | x1: one-byte anchors (`{KEY=4821}`, recall names `{#517}`)     | 300   | .40 .27 .27 .23     | .13 .23 .17 .23     |
 * | x2: x1 + a `repeat` task (a span of the row's text stated again, loss on the copy), 1/3 of rows | 300 | .13 .07 .13 .07 | .08 .12 .08 .07 |
 * | x4: x1 continued at lr 3e-3 → 1e-3                             | +200  | .57 .23 .33 .33     | .17 .11 .15 .13     |
 * | x4                                                             | +400  | .43 .17 .40 .53     | .21 .17 .16 .17     |
 * | x6: the then standard base (1,500 mixed steps), then x1's stream (current format) | 0 | .20 .13 .20 .13 | .14 .22 .17 .12 |
 * | x6                                                             | +200  | .27 .13 .33 .13     | .08 .23 .16 .10     |
 * | x7: current format, lr 1e-2 → 1e-3 (loss 2.27 at 300, e2's 2.07)                      | 300   | .13 .20 .13 .07     | .07 .11 .09 .14     |
 * | x8: current format, 8 heads of 16 (loss 2.07 at 300, as e2's)                          | 300   | .20 .17 .43 .53     | .22 .13 .16 .12     |
 *
 * - A unique byte right before the answer (so that a one-token "find the previous `=`, copy what
 *   followed" induction head suffices) did not speed learning up: x1 is where h10's e2 was with
 *   the `{KEY 4821}` format (char accuracy .32 / .18 vs .34 / .15 at 300 steps).
 * - Dense copy practice (`repeat`) did not help within 300 steps; it only took rows away.
 * - A text-trained start (x6) did not help either: the lookup is not waiting for previous-token
 *   features from language modelling.
 * - A higher learning rate (x7) keeps the model on the plateau; twice the heads (x8) changes
 *   nothing measurable.
 * - PyTorch cross-check (the same model in `bench/torch_reference.py`, the same 300 batches dumped
 *   from `BatchSampler`, AdamW and schedule as the trainer's): answer loss 2.234 at step 160 and
 *   2.154 at step 300, e2llm 2.178 and 1.982 on the same batches — the slow climb is the task and
 *   the model at this budget, not a kernel or gradient bug.
 * - Batch 64 (x3: x1 at 4× the rows per step) sat at the plateau's 2.30 at step 55, where x1 was
 *   too: stopped.
 * Runs: `deno task train --config <json> --out <dir>` with `{"steps": 300, "batchSize": 16,
 * "optim": {"lr": 3e-3, "minLr": 3e-4, "warmupSteps": 30}, "data": {"retrievalRate": 1,
 * "retrievalTasks": ["needle", "recall"], "retrievalAnswerWeight": 1}}` and the change named in
 * the row (x4, x6: `--init` from x1's step-300 checkpoint / the standard base); hits from the
 * per-offset scorer diagnostic of h10's note. x1, x2 and x4 used the generators of branch `r14`
 * (not merged: no measured gain).
 *
 * Third round (session 7): how many steps does the lookup need? `tools/retrieval_probe/probe.py`
 * trains this model in PyTorch on rows byte-identical to the trainer's (tests/tools/) with the loss
 * on the answers only (needle + recall rows, retrieval-only unless `rate` says; batch 16, AdamW β2
 * 0.95, wd 0.1) and scores 40 held-out rows per task at 128 tokens (exact / char accuracy; 40
 * needle and 160 recall answers). One seed each; P1, P2 and G ran with `"threads": 1` added, side
 * by side (G stopped after step 2000), M with the default 2 threads, M2 and M3 with 1:
 *
 * | probe run (options)                                   | step | needle      | recall      |
 * | ----------------------------------------------------- | ---- | ----------- | ----------- |
 * | P2: the old preset's schedule, lr 3e-3 → 3e-4 (`{"steps": 1500, "lr": 3e-3, "minLr": 3e-4}`) | 1000 | 0 % .24 | 0 % .13 |
 * | P1: constant lr 1e-3 (`{"steps": 4000}`)              | 1000 | 18 % .60    | 0 % .22     |
 * | P1                                                    | 1500 | 38 % .68    | 1 % .27     |
 * | P1                                                    | 2000 | 55 % .73    | 0 % .32     |
 * | P1                                                    | 2500 | 58 % .80    | 7 % .49     |
 * | P1                                                    | 3000 | 55 % .84    | 11 % .58    |
 * | P1                                                    | 3500 | 75 % .91    | 12 % .61    |
 * | P1                                                    | 4000 | 83 % .96    | 23 % .68    |
 * | G: P1 at batch 8 (`{"batch": 8}`)                     | 2000 | 13 % .56    | 0 % .21     |
 * | M: half text rows, answer weight 16 (`{"steps": 3000, "rate": 0.5, "w": 16}`) | 1000 | 0 % .19 | 0 % .12 |
 * | M                                                     | 1500 | 3 % .48     | 0 % .25     |
 * | M                                                     | 2000 | 93 % .98    | 13 % .68    |
 * | M                                                     | 2500 | 93 % .98    | 29 % .79    |
 * | M                                                     | 3000 | 98 % .99    | 43 % .84    |
 * | M2: M at answer weight 1 (`{"steps": 2000, "rate": 0.5, "w": 1}`)            | 2000 | 0 % .17 | 0 % .13 |
 * | M3: M's mix, 2000 steps, recall drawn 2 of 3 (`"tasks": ["needle", "recall", "recall"]`) | 2000 | 33 % .78 | 1 % .43 |
 *
 * The same recipe in the trainer (`deno task train --config c.json` with `{"steps": 1000,
 * "batchSize": 16, "optim": {"lr": 1e-3, "minLr": 1e-3, "warmupSteps": 30}, "data":
 * {"passkeyRate": 0, "retrievalRate": 1, "retrievalTasks": ["needle", "recall"],
 * "retrievalAnswerWeight": 1}}`, then `deno task eval --lengths 128 --windows 1 --passkey-trials 0
 * --retrieval-trials 10 --retrieval-tasks needle,recall`): needle 26 % [16 %, 40 %] exact, .61
 * char, recall 0 % [0 %, 2 %], .25 (n = 50 / 200) — where the probe was at step 1000. With the
 * data default `passkeyRate` 0.1 left in (passkey rows whose loss is on every byte), the same run
 * stayed at chance: needle 0 %, .10 char, log-prob −2.310 = −ln 10.
 * - lr 1e-3 is what leaves the plateau; 3e-3 (this preset's base) and 1e-2 (x7) keep the model on
 *   it. Halving the batch (G) costs more than it saves: the lookup needs rows, not only steps.
 * - Recall's first digit (found by matching a two-letter name) lags: per answer byte .54 .72 .67
 *   .76 at step 4000, when needle's are .93 .95 .97 .97.
 * - In scratch runs of the probe's predecessor (other sampling order, 500–1,000 steps, lr 1e-3):
 *   weight decay 0 with β2 0.99, needle-only rows, and a third of the rows `repeat` (a span of the
 *   row's text restated) changed nothing beyond noise, except `repeat` lifting recall's char
 *   accuracy (.31 vs .23 at step 1000).
 * - M is the standard base's own mix (half text rows, answer weight 16; needle + recall, no passkey)
 *   at a constant lr 1e-3: text rows HELP — needle jumps from 3 % to 93 % between steps 1500 and
 *   2000 (P1, retrieval-only: 38 % → 55 %) and recall climbs after it (43 % at 3000, its first
 *   digit .56). The weight is what lets the text help: at weight 1 (M2) the answers drown in
 *   the text targets and nothing is learned by step 2000; drawing recall twice as often (M3) was
 *   behind M on both tasks at step 2000. One seed each: when the jump comes may vary with the
 *   seed.
 * So at the preset's then 1,500 base steps no measured schedule reaches the gate; M reaches it on
 * needle by step 2,000 and is at 43 % on recall at 3,000 (n = 40 / 160). The passkey rows of the
 * trainer run above are not text: repeated filler with every byte in the loss.
 *
 * Fourth round (session 8): can recall's name lookup be made easier, or primed? M's options with
 * `"threads": 1`, two runs side by side, evaluated every 250 steps (R1/R3 stopped after step 2250,
 * A/B after 2250 of 3000; S1, W64, L2 and B32, run after the standard run below, every 500 or 250
 * steps):
 *
 * | probe run (options added to M's)                                   | step | needle   | recall   |
 * | ------------------------------------------------------------------ | ---- | -------- | -------- |
 * | R1: one-letter names, no separator (`{q5170}`; `"names": 1, "sep": ""`) | 1500 | 15 % .68 | 3 % .46 |
 * | R1                                                                 | 2000 | 48 % .84 | 11 % .63 |
 * | R1                                                                 | 2250 | 65 % .89 | 14 % .66 |
 * | R3: one-letter names, a space (`{q 5170}`; `"names": 1`)           | 2000 | 0 % .44  | 0 % .26  |
 * | R3                                                                 | 2250 | 3 % .48  | 1 % .29  |
 * | A: a third of the task rows `repeat` (`"tasks": ["needle", "recall", "repeat"]`) | 2000 | 0 % .29 | 0 % .14 |
 * | A                                                                  | 2250 | 0 % .32  | 0 % .18  |
 * | B: A with three quarters task rows (`"rate": 0.75`)                | 2000 | 0 % .46  | 0 % .20  |
 * | B                                                                  | 2250 | 10 % .60 | 1 % .40  |
 * | S1: M with another seed (`"seed": 1`)                              | 1000 | 0 % .31  | 0 % .22  |
 * | S1                                                                 | 2000 | 8 % .55  | 0 % .27  |
 * | W64: M at answer weight 64 (`"w": 64`)                             | 1000 | 8 % .49  | 1 % .22  |
 * | W64                                                                | 2000 | 20 % .59 | 0 % .26  |
 * | L2: lr 2e-3 (`"lr": 2e-3, "minLr": 2e-3`)                          | 2000 | 0 % .28  | 0 % .15  |
 * | B32: batch 32 (`"batch": 32`; rows = M's at twice the step)        | 250  | 0 % .41  | 0 % .19  |
 * | B32                                                                | 500  | 90 % .97 | 18 % .72 |
 * | B32                                                                | 750  | 100 % 1.0 | 28 % .81 |
 * | B32                                                                | 1000 | 100 % 1.0 | 39 % .84 |
 * | B32 with seed 1 (`"batch": 32, "seed": 1`, 2 threads, alone)       | 500  | 0 % .39  | 0 % .22  |
 * | B32 seed 1                                                         | 750  | 5 % .50  | 0 % .22  |
 *
 * - Shorter names do not remove the lag: R1's recall first digit is .34 at step 2250 while its
 *   later digits (copied once the value is found) are .68–.88 — the content match is the hard
 *   part, not the name's length. R1 and R3 differ only in the recall format, yet their needles
 *   (the same task) jump at different steps: when the jump comes varies from run to run.
 * - Copy practice (`repeat`) delays both tasks (A, B behind M at every step): it takes rows from
 *   the tasks and teaches a lookup they do not need. Not added to the trainer.
 * - Seed 1 of M's own recipe (S1) is at 8 % needle at step 2,000, where seed 0 was at 93 %: M was
 *   a lucky draw. Four times the answer weight (W64) moves the needle off chance earlier (8 % at
 *   1,000) but not to the lookup (20 % at 2,000); recall stays at chance in both.
 * - Batch 32 (B32, after the standard run) gave the fastest run yet: the needle at 90 % by step
 *   500 (16k rows, where M at batch 16 was at 0 % after the same rows), 100 % from 750; recall 39 %
 *   by step 1000 (M: 13 % after as many rows), its first digit .53. But the same run with seed 1 is
 *   at 0 % / 5 % at steps 500 / 750: B32's seed 0 was a lucky draw like M's, and no lever is
 *   established. A higher lr is worse (L2: chance at 2000), as was batch 8 (G).
 * - So the standard base (run before S1, W64, L2 and B32) takes M as it is: constant lr 1e-3 for
 *   3,000 steps on needle + recall rows (passkey rows dropped from the training mix, as in M;
 *   passkey is still evaluated), the most steps that keep `standard` within its 45 minutes here
 *   (~3.7k training tokens/s).
 * - Its run (`time deno task compare --preset standard --out /tmp/std8`: 44 min 11 s, base 1,622 s)
 *   did NOT reproduce M's jump: in-window exact match of the base 2.5 % needle (char .36, answer
 *   log-prob −1.52) and 0 % recall (.24, −2.06), n = 40 / 160 — off the plateau (the previous base:
 *   .18 / −2.20 and .13 / −2.27) but far from the gate; the control after its fine-tuning: 5 % and
 *   1 %. With one run in eight at batch 16 and lr 1e-3 (M) reaching the needle within the
 *   2,000–2,250 steps each ran, the jump's timing is a lottery there; the gate needs a recipe that
 *   learns the lookup reliably (across seeds), not a luckier seed.
 *
 * Fifth round (session 9): a format that one induction step answers. In the formats above the byte
 * before every answer was a space (`{KEY 4821}`, `{qa 5170}`): spaces are everywhere in book text, so
 * "find the earlier copy of the byte I am reading, copy what followed it" (the induction head that
 * language modelling forms anyway) cannot find the value; the model needed the bytes before the
 * space, a second step. Now the byte before an answer is unique in the row: the needle is
 * `{KEY=4821}` (`=` occurs once in 13.5M training bytes) and a recall name is one byte of
 * `#%&*+/<>@^_`|~` (symbols the book text never or almost never uses, MQAR's separate key
 * vocabulary) with no separator: `{#5170}`. Probe (`"batch": 32, "rate": 0.5, "w": 16, "threads": 1,
 * "evalEvery": 250` with `"alphabet": "#%&*+/<>@^_`|~", "names": 1, "sep": "", "marker": "KEY="` —
 * since then the probe's defaults — and the seed named; two runs side by side; S1 stopped after
 * step 1250, S2 after 1000, S3 after 250 when the machine went to the standard run):
 *
 * | probe run (seed) | step | needle    | recall     |
 * | ---------------- | ---- | --------- | ---------- |
 * | F2 (2)           | 250  | 0 % .33   | 0.6 % .21  |
 * | F2               | 500  | 65 % .91  | 4 % .41    |
 * | F2               | 750  | 98 % .99  | 74 % .93   |
 * | F2               | 1000 | 100 % 1.0 | 92 % .98   |
 * | F1 (1)           | 250  | 0 % .38   | 0 % .22    |
 * | F1               | 500  | 15 % .54  | 0.6 % .23  |
 * | F1               | 750  | 35 % .63  | 0.6 % .25  |
 * | F1               | 1000 | 28 % .59  | 0 % .22    |
 * | F1               | 1250 | 33 % .64  | 1 % .25    |
 * | F3 (3)           | 250  | 0 % .39   | 0 % .22    |
 *
 * - F2 is the first run with recall at the gate: 92 % exact at step 1000 (B32, the same batch and
 *   lr in the old format with its luckiest seed: 39 %), its first answer byte .94 where every
 *   earlier run had ≤ .56 — the name lookup stopped being the bottleneck.
 * - F1 shows the format does not remove the seed lottery: its needle is stuck at a third and recall
 *   at chance through step 1250.
 * - The standard base now runs F2's recipe in the trainer: this format, batch 32, constant lr 1e-3,
 *   half text rows at answer weight 16, 1,300 steps (5.3M tokens, the run's 22.5 min). Its run,
 *   `time deno task compare --preset standard --out /tmp/std10` (41 min 36 s), learned the lookup:
 *   the training loss fell from 1.82 to 1.07 between steps 300 and 420 (F2's fell likewise by step
 *   750), and the control after fine-tuning retrieves in-window at R with needle 100 % (n = 40) and
 *   recall 99 % [96 %, 100 %] (n = 160), char accuracy 1.0 — the gate passes for both tasks
 *   (docs/results/standard). A first run at 1,500 steps (the same stream: its first 1,300 steps are
 *   bitwise this run's) gave needle 100 %, recall 100 %, but took 45 min 4 s, over the limit.
 * - The trainer's seed 0 and probe seed 2 learned the lookup, probe seed 1 did not (seed 3 was
 *   stopped at step 250). The gate is met by the committed run, not guaranteed for every seed:
 *   `--preset full` (seeds 0, 1, 2) may have a base that does not retrieve, and its report then
 *   says so per seed-pooled task.
 */
import type { RetrievalTask } from "@e2llm/train";

/** standard `data`: half the rows retrieval samples (needle, recall), answer-only loss at weight 16. */
export const STANDARD_RETRIEVAL_DATA: {
  passkeyRate: number;
  retrievalRate: number;
  retrievalTasks: RetrievalTask[];
  keyDigits: number;
  recallPairs: number;
  retrievalAnswerWeight: number;
} = {
  passkeyRate: 0,
  retrievalRate: 0.5,
  retrievalTasks: ["needle", "recall"],
  keyDigits: 4,
  recallPairs: 4,
  retrievalAnswerWeight: 16,
};

/** standard `eval`: 8 samples per task × depth × length (40 needle answers per length at R). */
export const STANDARD_RETRIEVAL_EVAL: {
  retrievalTrials: number;
  retrievalTasks: RetrievalTask[];
  retrievalDepths: number[];
} = {
  retrievalTrials: 8,
  retrievalTasks: ["needle", "recall", "passkey"],
  retrievalDepths: [0, 0.25, 0.5, 0.75, 1],
};

/** smoke `data`: the tasks end to end on a tiny model (not expected to be learned). */
export const SMOKE_RETRIEVAL_DATA: {
  retrievalRate: number;
  retrievalTasks: RetrievalTask[];
  retrievalAnswerWeight: number;
} = {
  retrievalRate: 0.3,
  retrievalTasks: ["needle", "recall"],
  retrievalAnswerWeight: 16,
};

/** smoke `eval`: one sample per task × depth × length. */
export const SMOKE_RETRIEVAL_EVAL: {
  retrievalTrials: number;
  retrievalTasks: RetrievalTask[];
  retrievalDepths: number[];
} = {
  retrievalTrials: 1,
  retrievalTasks: ["needle", "recall"],
  retrievalDepths: [0, 0.5, 1],
};

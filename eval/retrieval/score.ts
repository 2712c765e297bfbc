/**
 * @module
 * Scoring retrieval answers, teacher-forced: each answer byte is predicted from the true bytes
 * before it. Per answer: exact match (every byte the arg-max), per-character accuracy and the mean
 * log-probability of its bytes (informative even when exact match is 0). Answers are grouped by
 * task and by the distance bucket between where the value was stated and where it is asked.
 */
import type { RetrievalSample, RetrievalTask } from "@e2llm/train";
import type { RowScores } from "../batching.ts";
import { wilson } from "./wilson.ts";

/** One scored answer. */
export interface AnswerScore {
  task: RetrievalTask;
  /** Tokens from the stated value to the asked one. */
  distance: number;
  exact: boolean;
  /** Fraction of the answer's bytes predicted right. */
  charAcc: number;
  /** Mean natural-log probability of the answer's bytes. */
  logprob: number;
}

/** Score every answer of `sample` from its row's per-target results (target t predicts t + 1). */
export function scoreAnswers(sample: RetrievalSample, row: RowScores): AnswerScore[] {
  return sample.answers.map((a) => {
    let hits = 0, lp = 0;
    for (let i = 0; i < a.value.length; i++) {
      const t = a.start + i - 1;
      if (t < 0 || t >= row.hit.length) {
        throw new RangeError(`answer byte at token ${a.start + i} is outside the scored row`);
      }
      hits += row.hit[t];
      lp -= row.nll[t];
    }
    const n = a.value.length;
    return {
      task: sample.task,
      distance: a.distance,
      exact: hits === n,
      charAcc: hits / n,
      logprob: lp / n,
    };
  });
}

/**
 * The distance bucket of `distance` tokens at training length R: the smallest m in 1, 2, 4, 8, …
 * with distance < m·R (1: in-window; 2: [R, 2R); 4: [2R, 4R); …).
 */
export function distanceBucket(distance: number, trainLength: number): number {
  if (!(distance >= 0) || !(trainLength > 0)) {
    throw new RangeError(`distance ${distance} at R = ${trainLength}`);
  }
  let m = 1;
  while (distance >= m * trainLength) m *= 2;
  return m;
}

/** The accuracy of one task in one distance bucket, over its answers. */
export interface RetrievalCell {
  task: RetrievalTask;
  /** Bucket upper bound in multiples of R (distance < bucket·R, ≥ bucket/2·R when > 1). */
  distance: number;
  /** Scored answers. */
  trials: number;
  /** Exact-match rate and its Wilson 95 % interval. */
  exact: number;
  exactCiLow: number;
  exactCiHigh: number;
  charAcc: number;
  answerLogprob: number;
}

/** Group answers by task and distance bucket (ordered by task, then distance). */
export function retrievalCells(
  answers: readonly AnswerScore[],
  trainLength: number,
): RetrievalCell[] {
  const groups = new Map<string, AnswerScore[]>();
  for (const a of answers) {
    const key = `${a.task}\t${distanceBucket(a.distance, trainLength)}`;
    const g = groups.get(key);
    if (g) g.push(a);
    else groups.set(key, [a]);
  }
  const cells = [...groups].map(([key, g]) => {
    const [task, bucket] = key.split("\t");
    const k = g.filter((a) => a.exact).length;
    const ci = wilson(k, g.length);
    return {
      task: task as RetrievalTask,
      distance: Number(bucket),
      trials: g.length,
      exact: ci.rate,
      exactCiLow: ci.low,
      exactCiHigh: ci.high,
      charAcc: g.reduce((s, a) => s + a.charAcc, 0) / g.length,
      answerLogprob: g.reduce((s, a) => s + a.logprob, 0) / g.length,
    };
  });
  return cells.sort((a, b) => a.task.localeCompare(b.task) || a.distance - b.distance);
}

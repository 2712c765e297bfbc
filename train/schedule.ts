/** Learning-rate schedule: linear warmup to `lr`, then cosine decay to `minLr` at `totalSteps`. */
export function learningRate(
  step: number,
  totalSteps: number,
  o: { lr: number; minLr: number; warmupSteps: number },
): number {
  if (step < o.warmupSteps) return o.lr * (step + 1) / o.warmupSteps;
  const span = Math.max(1, totalSteps - o.warmupSteps);
  const progress = Math.min(1, (step - o.warmupSteps) / span);
  return o.minLr + 0.5 * (o.lr - o.minLr) * (1 + Math.cos(Math.PI * progress));
}

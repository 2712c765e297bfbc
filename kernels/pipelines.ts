/** Compiled compute pipelines, cached by WGSL source and entry point. */
export class PipelineCache {
  readonly #pipelines = new Map<string, GPUComputePipeline>();

  constructor(readonly device: GPUDevice) {}

  /** The pipeline for `code`/`entryPoint`, compiling it on first use. */
  get(code: string, entryPoint = "main", label?: string): GPUComputePipeline {
    const key = `${entryPoint}\u0000${code}`;
    let pipeline = this.#pipelines.get(key);
    if (!pipeline) {
      const module = this.device.createShaderModule({ code, label });
      pipeline = this.device.createComputePipeline({
        label,
        layout: "auto",
        compute: { module, entryPoint },
      });
      this.#pipelines.set(key, pipeline);
    }
    return pipeline;
  }

  /** How many distinct pipelines were compiled. */
  get size(): number {
    return this.#pipelines.size;
  }
}

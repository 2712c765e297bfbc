/**
 * @module
 * Hugging Face LLaMA checkpoints: safetensors of F32/F16/BF16 read defensively, export of an
 * e2llm checkpoint as a `LlamaForCausalLM` folder, import of one as e2llm weights.
 */
export * from "./dtypes.ts";
export * from "./safetensors_io.ts";
export * from "./config.ts";
export * from "./layout.ts";
export * from "./rope_scaling.ts";
export * from "./tokenizer.ts";
export * from "./export.ts";
export * from "./import.ts";
export * from "./text_tokenizer.ts";

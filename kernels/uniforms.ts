/**
 * Uniform parameters declared once: a kernel's uniforms are a list of name → scalar type, and both
 * the WGSL struct (with its `var<uniform> p` binding) and the packer that writes the values come
 * from that one declaration, so they cannot drift apart.
 *
 * Layout: only 32-bit scalars (u32, i32, f32), so field i sits at byte offset 4·i (WGSL's
 * alignment and size of each is 4) and the struct is 4·fields bytes; the packed buffer is that
 * rounded up to 16 bytes, at least 16 (the uniform buffer the recorder binds). Vector fields would
 * need WGSL's alignment rules (vec3/vec4 align to 16) and are deliberately not supported.
 */

/** The WGSL type of one uniform field. */
export type UniformType = "u32" | "i32" | "f32";

/** Field names → types, in struct order. */
export type UniformFields = Readonly<Record<string, UniformType>>;

/** One number per declared field. */
export type UniformValues<F extends UniformFields> = { readonly [K in keyof F]: number };

const declared: Uniforms<UniformFields>[] = [];

/**
 * A kernel's uniform struct: `wgsl()` declares it (and binds it as `p` at group 0, binding 0, as
 * {@link Recorder.dispatch} expects), `pack()` writes the values at the struct's offsets.
 */
export class Uniforms<F extends UniformFields> {
  /** The field names in struct order. */
  readonly names: readonly (keyof F & string)[];

  /**
   * Declare the uniforms `fields` (order = struct order) of the kernel(s) `label`, as WGSL struct
   * `structName`.
   */
  constructor(readonly label: string, readonly fields: F, readonly structName = "P") {
    this.names = Object.keys(fields) as (keyof F & string)[];
    if (this.names.length === 0) throw new RangeError(`uniforms ${label}: no fields`);
    for (const name of this.names) {
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
        throw new RangeError(`uniforms ${label}: "${name}" is not a WGSL identifier`);
      }
      if (!["u32", "i32", "f32"].includes(fields[name])) {
        throw new RangeError(`uniforms ${label}: ${name} has unsupported type ${fields[name]}`);
      }
    }
    declared.push(this as unknown as Uniforms<UniformFields>);
  }

  /** Byte offset of `name` in the struct (4 per preceding field). */
  offsetOf(name: keyof F & string): number {
    const i = this.names.indexOf(name);
    if (i < 0) throw new RangeError(`uniforms ${this.label}: no field ${name}`);
    return 4 * i;
  }

  /** Bytes of the packed buffer: the struct size rounded up to 16, at least 16. */
  get byteLength(): number {
    return Math.max(16, Math.ceil(this.names.length / 4) * 16);
  }

  /**
   * WGSL: the struct and `@group(0) @binding(0) var<uniform> p: <structName>;` — on one line
   * (`struct P { n: u32, s: f32 }`) or as a block with one field per line.
   */
  wgsl(style: "line" | "block" = "line"): string {
    const fields = this.names.map((name) => `${name}: ${this.fields[name]}`);
    const struct = style === "line"
      ? `struct ${this.structName} { ${fields.join(", ")} }`
      : `struct ${this.structName} {\n${fields.map((f) => `  ${f},`).join("\n")}\n}`;
    return `${struct}\n@group(0) @binding(0) var<uniform> p: ${this.structName};`;
  }

  /**
   * Pack `values` for {@link Recorder.dispatch}: each field at {@link offsetOf}, u32 as
   * `value >>> 0`, i32 as `value | 0`, f32 rounded to float32. Throws naming a missing field.
   */
  pack(values: UniformValues<F>): ArrayBuffer {
    const buf = new ArrayBuffer(this.byteLength);
    const u = new Uint32Array(buf), i32 = new Int32Array(buf), f = new Float32Array(buf);
    this.names.forEach((name, i) => {
      const v = values[name];
      if (typeof v !== "number") {
        throw new RangeError(`uniforms ${this.label}: no value for ${name}`);
      }
      const type = this.fields[name];
      if (type === "f32") f[i] = v;
      else if (type === "i32") i32[i] = v | 0;
      else u[i] = v >>> 0;
    });
    return buf;
  }
}

/** Declare uniforms: shorthand for `new Uniforms(label, fields, structName)`. */
export function uniforms<const F extends UniformFields>(
  label: string,
  fields: F,
  structName = "P",
): Uniforms<F> {
  return new Uniforms(label, fields, structName);
}

/** Every uniform declaration made so far (the modules that declare them must be imported). */
export function declaredUniforms(): readonly Uniforms<UniformFields>[] {
  return declared;
}

/** The bits of `x` as a float32, as a u32 (to write an f32 into a u32 field). */
export function f32Bits(x: number): number {
  return new Uint32Array(new Float32Array([x]).buffer)[0];
}

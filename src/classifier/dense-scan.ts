/**
 * Dot products of one dense vector with every row of a fixed matrix, for the
 * nearest-example scan. Each dot product is summed in dimension order in float32
 * (every product and every partial sum rounded to float32), so the result is
 * bit-for-bit that of the plain loop `for (d) dot = fround(dot + fround(x[d] * row[d]))`.
 * Rows are processed sixteen at a time by a small WebAssembly SIMD kernel (four
 * f32x4 vectors, each lane its own row's sum); where WebAssembly SIMD is unavailable
 * the same sums run in JavaScript. Float32 halves the work of float64 lanes; the
 * vectors themselves are float32 (word vectors are int8), so little precision is lost. Pure.
 */

export interface DenseScanner {
  rows: number;
  dims: number;
  /** Dot product of `x` (length `dims`) with every row (float32 sums, so a float32 array holds them exactly); the returned array is reused by the next call. */
  scan(x: ArrayLike<number>): Float32Array;
}

const BLOCK = 16;

function encodeLeb(n: number): number[] {
  const out: number[] = [];
  let v = n >>> 0;
  do {
    let b = v & 0x7f;
    v >>>= 7;
    if (v) b |= 0x80;
    out.push(b);
  } while (v);
  return out;
}

function encodeSection(id: number, bytes: number[]): number[] {
  return [id, ...encodeLeb(bytes.length), ...bytes];
}

function encodeName(s: string): number[] {
  const bytes = [...new TextEncoder().encode(s)];
  return [...encodeLeb(bytes.length), ...bytes];
}

/**
 * The kernel `dot(x, m, blocks, dims, out)` (byte addresses, float32 data). `m` holds blocks
 * of sixteen rows interleaved by dimension (`m[b][d][0..15]`); `out` gets sixteen float32 per block.
 */
function buildKernel(): Uint8Array {
  const get = (i: number) => [0x20, i];
  const set = (i: number) => [0x21, i];
  const simd = (op: number) => [0xfd, ...encodeLeb(op)];
  const F32X4_SPLAT = 0x13;
  const F32X4_ADD = 0xe4;
  const F32X4_MUL = 0xe6;
  const V128_LOAD = 0x00;
  const V128_STORE = 0x0b;
  const V128_CONST = 0x0c;
  const I32_CONST = 0x41;
  const I32_ADD = 0x6a;
  const I32_GE_U = 0x4f;
  const lanes = [0, 1, 2, 3];
  // params: 0 x, 1 m, 2 blocks, 3 dims, 4 out; locals: 5 b, 6 d, 7 xi (i32); 8..11 sums, 12 splat (v128)
  const body = [
    0x02, 0x40, 0x03, 0x40,
    ...get(5), ...get(2), I32_GE_U, 0x0d, 1,
    ...lanes.flatMap((k) => [...simd(V128_CONST), ...new Array<number>(16).fill(0), ...set(8 + k)]),
    ...get(0), ...set(7), I32_CONST, 0, ...set(6),
    0x02, 0x40, 0x03, 0x40,
    ...get(6), ...get(3), I32_GE_U, 0x0d, 1,
    ...get(7), 0x2a, 2, 0, ...simd(F32X4_SPLAT), ...set(12),
    ...lanes.flatMap((k) => [...get(8 + k), ...get(12), ...get(1), ...simd(V128_LOAD), 4, ...encodeLeb(16 * k), ...simd(F32X4_MUL), ...simd(F32X4_ADD), ...set(8 + k)]),
    ...get(1), I32_CONST, 0xc0, 0x00, I32_ADD, ...set(1),
    ...get(7), I32_CONST, 4, I32_ADD, ...set(7),
    ...get(6), I32_CONST, 1, I32_ADD, ...set(6),
    0x0c, 0, 0x0b, 0x0b,
    ...lanes.flatMap((k) => [...get(4), ...get(8 + k), ...simd(V128_STORE), 4, ...encodeLeb(16 * k)]),
    ...get(4), I32_CONST, 0xc0, 0x00, I32_ADD, ...set(4),
    ...get(5), I32_CONST, 1, I32_ADD, ...set(5),
    0x0c, 0, 0x0b, 0x0b, 0x0b,
  ];
  const func = [2, 3, 0x7f, 5, 0x7b, ...body];
  return Uint8Array.from([
    0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0,
    ...encodeSection(1, [1, 0x60, 5, 0x7f, 0x7f, 0x7f, 0x7f, 0x7f, 0]),
    ...encodeSection(3, [1, 0]),
    ...encodeSection(5, [1, 0, 1]),
    ...encodeSection(7, [2, ...encodeName('dot'), 0, 0, ...encodeName('mem'), 2, 0]),
    ...encodeSection(10, [1, ...encodeLeb(func.length), ...func]),
  ]);
}

/** The part of the WebAssembly global this module uses (the project's type libraries do not declare it). */
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { exports: unknown };
}

interface KernelExports {
  dot: (x: number, m: number, blocks: number, dims: number, out: number) => void;
  mem: { buffer: ArrayBuffer; grow: (pages: number) => number };
}

const wasm = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;
let kernel: object | null | undefined;

function findKernel(): object | null {
  if (kernel === undefined) {
    try {
      kernel = wasm ? new wasm.Module(buildKernel()) : null;
    } catch {
      kernel = null;
    }
  }
  return kernel;
}

function scanInJs(matrix: Float32Array, rows: number, dims: number, x: Float32Array, out: Float32Array): void {
  for (let e = 0; e < rows; e++) {
    let dot = 0;
    const base = e * dims;
    for (let d = 0; d < dims; d++) dot = Math.fround(dot + Math.fround((x[d] as number) * (matrix[base + d] as number)));
    out[e] = dot;
  }
}

/** A scanner over `rows` rows of `dims` values (row-major `matrix`). Falls back to JavaScript without WebAssembly SIMD. */
export function createDenseScanner(values: ArrayLike<number>, rows: number, dims: number, useKernel = true): DenseScanner {
  const matrix = Float32Array.from(values);
  const x32 = new Float32Array(dims);
  // The last block is padded with zero rows, so every row is scanned by the kernel.
  const blocks = Math.ceil(rows / BLOCK);
  const module = useKernel && blocks > 0 && dims > 0 ? findKernel() : null;
  if (!module || !wasm) {
    const out = new Float32Array(rows);
    return {
      rows,
      dims,
      scan: (x) => {
        x32.set(x);
        scanInJs(matrix, rows, dims, x32, out);
        return out;
      },
    };
  }
  const { dot, mem } = new wasm.Instance(module).exports as KernelExports;
  const matrixLength = blocks * BLOCK * dims;
  const bytes = (matrixLength + dims + blocks * BLOCK) * 4;
  mem.grow(Math.max(0, Math.ceil(bytes / 65536) - mem.buffer.byteLength / 65536));
  const heap = new Float32Array(mem.buffer);
  for (let b = 0; b < blocks; b++) {
    for (let d = 0; d < dims; d++) {
      for (let j = 0; j < BLOCK && b * BLOCK + j < rows; j++) heap[b * BLOCK * dims + d * BLOCK + j] = matrix[(b * BLOCK + j) * dims + d] as number;
    }
  }
  const xAt = matrixLength;
  const outAt = matrixLength + dims;
  const xView = heap.subarray(xAt, xAt + dims);
  const outView = heap.subarray(outAt, outAt + rows);
  return {
    rows,
    dims,
    scan: (x) => {
      x32.set(x);
      xView.set(x32);
      dot(xAt * 4, 0, blocks, dims, outAt * 4);
      return outView;
    },
  };
}

/**
 * Sums of sparse products over an inverted index, for the nearest-example scan: for each feature
 * `f = idx[i]` in order, `sums[e] += val[i] * vals[k]` for every posting `k` of `f` (neighbour
 * `ids[k]`), in float64. A small WebAssembly kernel runs the loop (without the bounds checks and
 * the register pressure of JavaScript's typed arrays it is about twice as fast); each sum gets the
 * same products in the same order as the JavaScript loop, so the sums are bit for bit the same.
 */
export interface SparseScanner {
  rows: number;
  /**
   * Adds the products of the features `idx` (distinct ids) with values `val` into the sums and
   * returns them: an array of the scanner's, all zero before the call, which the caller reads and
   * sets back to zero before the next call.
   */
  scan(idx: Int32Array, val: Float32Array): Float64Array;
}

/**
 * The kernel `sparse(idx, val, nx, starts, ids, vals, sums)` (byte addresses): for i < nx, f = idx[i],
 * v = val[i] as float64, and k from starts[f] to starts[f + 1]: sums[ids[k]] += v * vals[k].
 */
function buildSparseKernel(): Uint8Array {
  const get = (i: number) => [0x20, i];
  const set = (i: number) => [0x21, i];
  const tee = (i: number) => [0x22, i];
  const i32 = (n: number) => [0x41, ...encodeLeb(n)];
  const I32_ADD = 0x6a;
  const I32_SHL = 0x74;
  const I32_GE_U = 0x4f;
  const i32Load = (offset: number) => [0x28, 2, offset];
  const f32Load = [0x2a, 2, 0];
  const f64Load = [0x2b, 3, 0];
  const f64Store = [0x39, 3, 0];
  const F64_PROMOTE_F32 = 0xbb;
  const F64_MUL = 0xa2;
  const F64_ADD = 0xa0;
  // params: 0 idx, 1 val, 2 nx, 3 starts, 4 ids, 5 vals, 6 sums; locals: 7 i, 8 k (bytes), 9 end (bytes), 10 at (i32), 11 v (f64)
  const body = [
    0x02, 0x40, 0x03, 0x40,
    ...get(7), ...get(2), I32_GE_U, 0x0d, 1,
    // at = starts + idx[i] * 4; k = starts[f] * 4; end = starts[f + 1] * 4
    ...get(3), ...get(0), ...get(7), ...i32(2), I32_SHL, I32_ADD, ...i32Load(0), ...i32(2), I32_SHL, I32_ADD, ...tee(10),
    ...i32Load(0), ...i32(2), I32_SHL, ...set(8),
    ...get(10), ...i32Load(4), ...i32(2), I32_SHL, ...set(9),
    // v = val[i]
    ...get(1), ...get(7), ...i32(2), I32_SHL, I32_ADD, ...f32Load, F64_PROMOTE_F32, ...set(11),
    0x02, 0x40, 0x03, 0x40,
    ...get(8), ...get(9), I32_GE_U, 0x0d, 1,
    // at = sums + ids[k] * 8; sums[at] = sums[at] + v * vals[k]
    ...get(6), ...get(4), ...get(8), I32_ADD, ...i32Load(0), ...i32(3), I32_SHL, I32_ADD, ...tee(10),
    ...get(10), ...f64Load,
    ...get(11), ...get(5), ...get(8), I32_ADD, ...f32Load, F64_PROMOTE_F32, F64_MUL, F64_ADD, ...f64Store,
    ...get(8), ...i32(4), I32_ADD, ...set(8),
    0x0c, 0, 0x0b, 0x0b,
    ...get(7), ...i32(1), I32_ADD, ...set(7),
    0x0c, 0, 0x0b, 0x0b,
  ];
  const func = [2, 4, 0x7f, 1, 0x7c, ...body, 0x0b];
  return Uint8Array.from([
    0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0,
    ...encodeSection(1, [1, 0x60, 7, 0x7f, 0x7f, 0x7f, 0x7f, 0x7f, 0x7f, 0x7f, 0]),
    ...encodeSection(3, [1, 0]),
    ...encodeSection(5, [1, 0, 1]),
    ...encodeSection(7, [2, ...encodeName('sparse'), 0, 0, ...encodeName('mem'), 2, 0]),
    ...encodeSection(10, [1, ...encodeLeb(func.length), ...func]),
  ]);
}

interface SparseKernelExports {
  sparse: (idx: number, val: number, nx: number, starts: number, ids: number, vals: number, sums: number) => void;
  mem: { buffer: ArrayBuffer; grow: (pages: number) => number };
}

let sparseKernel: object | null | undefined;

function findSparseKernel(): object | null {
  if (sparseKernel === undefined) {
    try {
      sparseKernel = wasm ? new wasm.Module(buildSparseKernel()) : null;
    } catch {
      sparseKernel = null;
    }
  }
  return sparseKernel;
}

function scatterInJs(starts: Int32Array, ids: Int32Array, vals: Float32Array, idx: Int32Array, val: Float32Array, sums: Float64Array): void {
  for (let i = 0; i < idx.length; i++) {
    const f = idx[i] as number;
    const v = val[i] as number;
    const end = starts[f + 1] as number;
    for (let k = starts[f] as number; k < end; k++) {
      const e = ids[k] as number;
      sums[e] = (sums[e] as number) + v * (vals[k] as number);
    }
  }
}

/**
 * A scanner over the inverted index `starts` (length features + 1), `ids`, `vals` of `rows` rows.
 * Falls back to JavaScript without WebAssembly. The kernel keeps its own copy of the index.
 */
export function createSparseScanner(starts: Int32Array, ids: Int32Array, vals: Float32Array, rows: number, useKernel = true): SparseScanner {
  const module = useKernel ? findSparseKernel() : null;
  const features = starts.length - 1;
  if (!module || !wasm || features < 0) {
    const sums = new Float64Array(rows);
    return { rows, scan: (idx, val) => (scatterInJs(starts, ids, vals, idx, val, sums), sums) };
  }
  const { sparse, mem } = new wasm.Instance(module).exports as SparseKernelExports;
  // Layout (bytes): sums (8 per row) first, for alignment; then starts, ids, vals, and room for a note's idx and val (one per feature at most).
  const sumsAt = 0;
  const startsAt = sumsAt + rows * 8;
  const idsAt = startsAt + starts.length * 4;
  const valsAt = idsAt + ids.length * 4;
  const idxAt = valsAt + vals.length * 4;
  const valAt = idxAt + features * 4;
  const bytes = valAt + features * 4;
  mem.grow(Math.max(0, Math.ceil(bytes / 65536) - mem.buffer.byteLength / 65536));
  const buffer = mem.buffer;
  const sums = new Float64Array(buffer, sumsAt, rows);
  const startsView = new Int32Array(buffer, startsAt, starts.length);
  const idsView = new Int32Array(buffer, idsAt, ids.length);
  const valsView = new Float32Array(buffer, valsAt, vals.length);
  startsView.set(starts);
  idsView.set(ids);
  valsView.set(vals);
  const idxView = new Int32Array(buffer, idxAt, features);
  const valView = new Float32Array(buffer, valAt, features);
  return {
    rows,
    scan: (idx, val) => {
      if (idx.length > features) {
        // More ids than the index has features (not a note's distinct features): no room for them; run the loop in JavaScript.
        scatterInJs(startsView, idsView, valsView, idx, val, sums);
        return sums;
      }
      idxView.set(idx);
      valView.set(val);
      sparse(idxAt, valAt, idx.length, startsAt, idsAt, valsAt, sumsAt);
      return sums;
    },
  };
}

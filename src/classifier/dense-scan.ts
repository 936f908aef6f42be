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
  /** Dot product of `x` (length `dims`) with every row; the returned array is reused by the next call. */
  scan(x: ArrayLike<number>): Float64Array;
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

function scanInJs(matrix: Float32Array, rows: number, dims: number, x: Float32Array, out: Float64Array): void {
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
  const out = new Float64Array(rows);
  const x32 = new Float32Array(dims);
  // The last block is padded with zero rows, so every row is scanned by the kernel.
  const blocks = Math.ceil(rows / BLOCK);
  const module = useKernel && blocks > 0 && dims > 0 ? findKernel() : null;
  if (!module || !wasm) {
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
      out.set(outView);
      return out;
    },
  };
}

// Times one ONNX model in ONNX Runtime (onnxruntime-node, CPU execution
// provider), on one thread unless THREADS says otherwise (intra-op threads;
// inter-op stays 1, execution sequential). Session creation and warm-up are
// excluded.
//
//   node ort_bench.js MODEL.onnx INPUT.npy RUNS WARMUP [THREADS] [OUTPUT.npy]
//
// Prints one JSON line: {"median_ms", "min_ms", "cpu_ms_per_run"}. With
// OUTPUT.npy, also writes the first output (float32) there. With the
// environment variable ORT_OPTIMIZED_MODEL=PATH, ONNX Runtime saves the
// graph it runs (after its optimizations and fusions) to PATH.
'use strict';
const fs = require('fs');
const ort = require('onnxruntime-node');

// A little-endian float32 C-order .npy file (what numpy.save writes).
function readNpyF32(path) {
  const buf = fs.readFileSync(path);
  if (buf.toString('latin1', 1, 6) !== 'NUMPY')
    throw new Error(`${path}: not a .npy file`);
  const major = buf[6];
  const headerLen = major === 1 ? buf.readUInt16LE(8) : buf.readUInt32LE(8);
  const start = (major === 1 ? 10 : 12) + headerLen;
  const header = buf.toString('latin1', major === 1 ? 10 : 12, start);
  if (!header.includes("'<f4'") || header.includes("'fortran_order': True"))
    throw new Error(`${path}: expected little-endian float32 in C order`);
  const shape = header.match(/'shape': \(([^)]*)\)/)[1]
      .split(',').map((s) => s.trim()).filter((s) => s).map(Number);
  const data = new Float32Array(buf.buffer.slice(buf.byteOffset + start,
                                                 buf.byteOffset + buf.length));
  return {shape, data};
}

// Writes a float32 tensor as a version 1.0 .npy file.
function writeNpyF32(path, dims, data) {
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': (${
      dims.join(', ')}${dims.length === 1 ? ',' : ''}), }`;
  // Magic (6) + version (2) + length (2) + header + '\n', padded to 64.
  header += ' '.repeat(63 - ((10 + header.length) % 64)) + '\n';
  const pre = Buffer.alloc(10);
  pre.write('\x93NUMPY', 0, 'latin1');
  pre[6] = 1;
  pre[7] = 0;
  pre.writeUInt16LE(header.length, 8);
  fs.writeFileSync(path, Buffer.concat([
    pre, Buffer.from(header, 'latin1'),
    Buffer.from(data.buffer, data.byteOffset, data.byteLength)]));
}

async function main() {
  const [model, inputPath, runsArg, warmupArg, threadsArg, outPath] =
      process.argv.slice(2);
  if (!model || !inputPath) {
    console.error('usage: node ort_bench.js MODEL.onnx INPUT.npy [RUNS] [WARMUP] ' +
                  '[THREADS] [OUTPUT.npy]');
    process.exit(2);
  }
  const runs = Number(runsArg || 50), warmup = Number(warmupArg || 5);
  const threads = Number(threadsArg || 1);
  const session = await ort.InferenceSession.create(model, {
    executionProviders: ['cpu'],
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
    ...(process.env.ORT_OPTIMIZED_MODEL ?
            {optimizedModelFilePath: process.env.ORT_OPTIMIZED_MODEL} : {}),
  });
  const x = readNpyF32(inputPath);
  const feeds = {[session.inputNames[0]]: new ort.Tensor('float32', x.data, x.shape)};
  for (let i = 0; i < warmup; ++i) await session.run(feeds);
  if (outPath) {
    const out = (await session.run(feeds))[session.outputNames[0]];
    writeNpyF32(outPath, out.dims, out.data);
  }
  const times = [];
  const cpu0 = process.cpuUsage();
  for (let i = 0; i < runs; ++i) {
    const t0 = process.hrtime.bigint();
    await session.run(feeds);
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  const cpu = process.cpuUsage(cpu0);
  times.sort((a, b) => a - b);
  console.log(JSON.stringify({
    median_ms: times[Math.floor(times.length / 2)],
    min_ms: times[0],
    cpu_ms_per_run: (cpu.user + cpu.system) / 1000 / runs,
  }));
}

main().catch((e) => { console.error(e.message || e); process.exit(1); });

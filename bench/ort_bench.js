// Times one ONNX model in ONNX Runtime (onnxruntime-node, CPU execution
// provider) on one thread. Session creation and warm-up are excluded.
//
//   node ort_bench.js MODEL.onnx INPUT.npy RUNS WARMUP
//
// Prints one JSON line: {"median_ms", "min_ms", "cpu_ms_per_run"}.
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

async function main() {
  const [model, inputPath, runsArg, warmupArg] = process.argv.slice(2);
  if (!model || !inputPath) {
    console.error('usage: node ort_bench.js MODEL.onnx INPUT.npy [RUNS] [WARMUP]');
    process.exit(2);
  }
  const runs = Number(runsArg || 50), warmup = Number(warmupArg || 5);
  const session = await ort.InferenceSession.create(model, {
    executionProviders: ['cpu'],
    intraOpNumThreads: 1,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
  });
  const x = readNpyF32(inputPath);
  const feeds = {[session.inputNames[0]]: new ort.Tensor('float32', x.data, x.shape)};
  for (let i = 0; i < warmup; ++i) await session.run(feeds);
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

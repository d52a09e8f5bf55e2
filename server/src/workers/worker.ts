// Analysis worker thread: owns an AnalysisCore (its own decoded-profile LRU) and its own
// handle on the store, so the HTTP thread only passes ids and parameters.
import { getHeapStatistics } from 'node:v8';
import { parentPort, workerData } from 'node:worker_threads';
import { openStore } from '../store/index.js';
import { AnalysisCore } from './core.js';
import { noStage, throttledSink } from './progress.js';
import { isCancelled, toWire, type FromWorker, type ToWorker, type WorkerInit } from './protocol.js';

const init = workerData as WorkerInit;
const store = openStore(init.store);
const core = new AnalysisCore(store, init.config, init.cacheBytes);
const port = parentPort;
if (!port) throw new Error('analysis worker started outside a worker thread');
const cancelled = init.cancelled ? new Int32Array(init.cancelled) : null;

/** Past this share of the worker's heap limit, cached profiles and views are released. */
const PRESSURE = 0.6;

function relieveUnderPressure(): void {
  const h = getHeapStatistics();
  if (h.used_heap_size + h.external_memory > PRESSURE * h.heap_size_limit) core.relieve();
}

port.on('message', (msg: ToWorker) => {
  if (isCancelled(cancelled, msg.seq)) {
    port.postMessage({
      seq: msg.seq,
      ok: false,
      // 499 as the pool's own abandon answer: not an internal error (no stack in the server's log).
      error: { name: 'HttpError', status: 499, message: 'cancelled: the client has gone away' },
    } satisfies FromWorker);
    return;
  }
  const stages = msg.progress ? throttledSink((progress) => port.postMessage({ seq: msg.seq, progress } satisfies FromWorker)) : noStage;
  core
    .run(msg.task, stages)
    .finally(relieveUnderPressure)
    .then(
      (result) => {
        const reply: FromWorker = { seq: msg.seq, ok: true, result };
        // Hand uploaded bytes back without copying.
        const transfer =
          'bytes' in result && result.bytes
            ? [result.bytes.buffer as ArrayBuffer]
            : 'file' in result
              ? [result.file.buffer as ArrayBuffer]
              : [];
        port.postMessage(reply, transfer);
      },
      (err: unknown) => {
        const reply: FromWorker = { seq: msg.seq, ok: false, error: toWire(err) };
        port.postMessage(reply);
      },
    );
});

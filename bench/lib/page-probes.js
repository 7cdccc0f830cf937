// What the browser benchmarks' in-page instrument() functions share, loaded before them with
// page.addInitScript({ path: PAGE_PROBES }) (browser.mjs): a function serialized into the page by
// addInitScript cannot import, so this is a plain script that leaves window.__probes behind.
/* global PerformanceObserver, MessageChannel */
(() => {
  const sinks = [];
  const seen = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      const t = { start: e.startTime, duration: e.duration };
      seen.push(t);
      for (const sink of sinks) sink(t);
    }
  }).observe({ type: 'longtask', buffered: true });
  window.__probes = {
    /** Calls `sink({ start, duration })` for every long task (> 50 ms), those before the call included. */
    onLongTask(sink) {
      for (const t of seen) sink(t);
      sinks.push(sink);
    },
    /** Calls `cb(now)` from a task queued now: called from a requestAnimationFrame callback, it runs after that frame's paint. */
    afterThisFrame(cb) {
      const ch = new MessageChannel();
      ch.port1.onmessage = () => cb(performance.now());
      ch.port2.postMessage(0);
    },
  };
})();

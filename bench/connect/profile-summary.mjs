// Summarise a V8 .cpuprofile (from `node bench/connect/run.mjs --profile`, or any other: the
// receive-flood and roster-scale benches' page and main profiles too): self time per function and
// inclusive time per function, both grouped by name + file:line, biggest first.
// Usage: node bench/connect/profile-summary.mjs FILE.cpuprofile [--top=25] [--match=regex] [--callers=regex]
//                                              [--from=MARK|ms] [--to=MARK|ms] [--count]
//   --match: only inclusive rows whose "name file:line" matches (e.g. --match=roster).
//   --callers: for functions matching, the call paths (4 frames up) that their self time comes from.
//   --from / --to: only samples in this window, in ms since the clock started or as a phase mark
//     ('tls', 'rosterFirstChunk', …); for profiles written by flint.ts with BENCH_FLINT_WINDOW_PROFILE,
//     which carry the start time and the marks.
//   --count: weigh every sample the same (the sampling interval) instead of by the time until the
//     next one, which a busy machine stretches when it takes the CPU away from the process.
import fs from 'node:fs';
import path from 'node:path';

const [file, ...rest] = process.argv.slice(2);
if (!file) {
  console.error('usage: node bench/connect/profile-summary.mjs FILE.cpuprofile [--top=25] [--match=regex]');
  process.exit(2);
}
const opt = Object.fromEntries(rest.map((a) => a.replace(/^--/, '').split('=')));
const TOP = Number(opt.top ?? 25);
const callers = opt.callers ? new RegExp(opt.callers, 'i') : undefined;
const match = opt.match ? new RegExp(opt.match, 'i') : undefined;

const prof = JSON.parse(fs.readFileSync(file, 'utf8'));
const byId = new Map(prof.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

// Window (ms since the measured start; the profile's own start when it carries no t0).
function at(v, fallback) {
  if (v === undefined) return fallback;
  if (!Number.isNaN(Number(v))) return Number(v);
  const mark = prof.phases?.[v];
  if (mark === undefined) throw new Error(`no mark '${v}' in this profile (marks: ${Object.keys(prof.phases ?? {}).join(', ') || 'none'})`);
  return mark;
}
const from = at(opt.from, -Infinity);
const to = at(opt.to, Infinity);
const interval = prof.samples.length > 1 ? (prof.endTime - prof.startTime) / prof.samples.length : 0;
// Sample i lasts timeDeltas[i+1] µs (V8's convention: the delta precedes the next sample).
const selfUs = new Map();
let t = prof.t0Us ? prof.startTime - prof.t0Us : 0; // µs since the measured start
for (let i = 0; i < prof.samples.length; i++) {
  t += prof.timeDeltas[i] ?? 0;
  if (t / 1000 < from || t / 1000 > to) continue;
  const dt = 'count' in opt ? interval : (prof.timeDeltas[i + 1] ?? 0);
  selfUs.set(prof.samples[i], (selfUs.get(prof.samples[i]) ?? 0) + dt);
}
const total = [...selfUs.values()].reduce((a, b) => a + b, 0);

const label = (n) => {
  const cf = n.callFrame;
  const where = cf.url ? `${path.basename(cf.url)}:${cf.lineNumber + 1}` : '';
  return `${cf.functionName || '(anonymous)'} ${where}`.trim();
};

const paths = new Map();
const self = new Map();
const incl = new Map();
for (const [id, us] of selfUs) {
  const n = byId.get(id);
  self.set(label(n), (self.get(label(n)) ?? 0) + us);
  if (callers?.test(label(n))) {
    const chain = [];
    for (let cur = id; cur !== undefined && chain.length < 5; cur = parent.get(cur)) chain.push(label(byId.get(cur)));
    const key = chain.join(' ← ');
    paths.set(key, (paths.get(key) ?? 0) + us);
  }
  // Inclusive: count each distinct label once per sample stack (recursion must not double count).
  const seen = new Set();
  for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
    const l = label(byId.get(cur));
    if (seen.has(l)) continue;
    seen.add(l);
    incl.set(l, (incl.get(l) ?? 0) + us);
  }
}

const ms = (us) => (us / 1000).toFixed(1).padStart(8);
const pct = (us) => `${((100 * us) / total).toFixed(1)}%`.padStart(6);
console.log(`${file}\nsampled ${ms(total).trim()} ms\n\nself time:`);
for (const [l, us] of [...self].sort((a, b) => b[1] - a[1]).slice(0, TOP)) console.log(`${ms(us)} ${pct(us)}  ${l}`);
console.log('\ninclusive time:');
for (const [l, us] of [...incl].filter(([l]) => !match || match.test(l)).sort((a, b) => b[1] - a[1]).slice(0, TOP)) console.log(`${ms(us)} ${pct(us)}  ${l}`);
if (callers) {
  console.log('\ncall paths (self time):');
  for (const [l, us] of [...paths].sort((a, b) => b[1] - a[1]).slice(0, TOP)) console.log(`${ms(us)} ${pct(us)}  ${l}`);
}

/** Summarizes a V8 CPU profile (node --cpu-prof): self time by package and the hottest functions. */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

interface ProfileNode { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }
export interface ProfileSummary {
  file: string;
  busyMs: number;
  byPackage: { name: string; ms: number; percent: number }[];
  top: { name: string; ms: number; percent: number }[];
  /** Time spent in a function and everything it called (recursion counted once). */
  inclusive: { name: string; ms: number; percent: number }[];
}

function packageOf(url: string, fn: string): string {
  if (!url) return fn.startsWith('(') ? fn : '(native)';
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const parts = url.slice(nm + 'node_modules/'.length).split('/');
    return parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
  }
  if (url.startsWith('node:')) return 'node (http, streams, timers…)';
  const src = url.indexOf('/src/');
  if (src >= 0) return `vantage ${url.slice(src + 1).split('/').slice(0, 2).join('/')}`;
  return path.basename(url);
}

export function summarizeProfile(dir: string): ProfileSummary {
  const file = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile')).map((f) => path.join(dir, f))[0];
  const profile = JSON.parse(readFileSync(file, 'utf8')) as { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] };
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  // Samples taken while the bench's own IPC code runs (stopping and serializing the profile) are not the server's work.
  const ours = new Set<number>();
  for (const n of profile.nodes) {
    for (let cur: number | undefined = n.id; cur !== undefined; cur = parent.get(cur)) {
      if (byId.get(cur)!.callFrame.url.includes('/bench/engines/child.ts')) {
        ours.add(n.id);
        break;
      }
    }
  }
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => {
    if (!ours.has(id)) self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  const pkg = new Map<string, number>();
  const fns = new Map<string, number>();
  let busy = 0;
  for (const [id, us] of self) {
    const n = byId.get(id)!;
    const { functionName, url, lineNumber } = n.callFrame;
    if (functionName === '(idle)') continue;
    busy += us;
    const p = packageOf(url, functionName);
    pkg.set(p, (pkg.get(p) ?? 0) + us);
    const key = `${functionName || '(anonymous)'} ${p}${url && !url.includes('node_modules') ? '' : ''}:${lineNumber + 1}`;
    fns.set(key, (fns.get(key) ?? 0) + us);
  }
  const keyOf = (n: ProfileNode) => `${n.callFrame.functionName || '(anonymous)'} ${packageOf(n.callFrame.url, n.callFrame.functionName)}:${n.callFrame.lineNumber + 1}`;
  const incl = new Map<string, number>();
  for (const [id, us] of self) {
    if (byId.get(id)!.callFrame.functionName === '(idle)') continue;
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const k = keyOf(byId.get(cur)!);
      if (seen.has(k)) continue;
      seen.add(k);
      incl.set(k, (incl.get(k) ?? 0) + us);
    }
  }
  const rows = (m: Map<string, number>) => [...m.entries()].sort((a, b) => b[1] - a[1]).map(([name, us]) => ({ name, ms: us / 1000, percent: (100 * us) / busy }));
  return { file: path.relative(path.resolve(__dirname, '..'), file), busyMs: busy / 1000, byPackage: rows(pkg).slice(0, 15), top: rows(fns).slice(0, 15), inclusive: rows(incl).filter((r) => !r.name.startsWith('(root)')).slice(0, 60) };
}

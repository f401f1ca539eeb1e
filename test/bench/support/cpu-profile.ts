// Summarises a V8 .cpuprofile (node --cpu-prof): self time per function with file:line, and
// inclusive time per project file, so a benchmark's hotspots can be named without DevTools.
//   npx tsx test/bench/support/cpu-profile.ts FILE.cpuprofile [top=25]
import fs from 'node:fs';
import path from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

const ROOT = path.resolve(__dirname, '../../..');
const sources = new Map<string, string[]>();

/**
 * tsx hands V8 whitespace-minified code, so a profile's line numbers are not the source's: for a
 * project file the function's definition is looked up in the source by name instead.
 */
function sourceLine(file: string, name: string): number | undefined {
  if (!name || !/^[\w$]+$/.test(name)) return undefined;
  let lines = sources.get(file);
  if (!lines) {
    try {
      lines = fs.readFileSync(file, 'utf8').split('\n');
    } catch {
      lines = [];
    }
    sources.set(file, lines);
  }
  const definition = new RegExp(`(function\\*?\\s+${name}\\b|\\b${name}\\s*[=:]\\s*(async\\s*)?(\\(|function|[\\w$]+\\s*=>)|^\\s*(public |private |static |async )*${name}\\s*[(<])`);
  const index = lines.findIndex((line) => definition.test(line));
  return index >= 0 ? index + 1 : undefined;
}

function isProjectFile(file: string): boolean {
  return file.startsWith(ROOT) && !file.includes('node_modules');
}

function where(frame: ProfileNode['callFrame']): string {
  const file = frame.url.replace(/^file:\/\//, '');
  if (isProjectFile(file)) {
    const line = sourceLine(file, frame.functionName);
    return `${path.relative(ROOT, file)}:${line ?? '?'}`;
  }
  const short = file.replace(/^.*node_modules\//, 'node_modules/');
  return `${short || '(native)'}:${frame.lineNumber + 1}`;
}

export function summarise(profile: Profile, top = 25): string {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  // Percentages are of the busy time: an idle event loop waiting for the next request is not a cost.
  let idle = 0;
  for (const [id, us] of selfUs) {
    if (byId.get(id)!.callFrame.functionName === '(idle)') {
      idle += us;
      selfUs.delete(id);
    }
  }
  const total = [...selfUs.values()].reduce((a, b) => a + b, 0);

  const self = new Map<string, number>();
  const inclusiveFile = new Map<string, number>();
  const inclusiveFunction = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const node = byId.get(id)!;
    let frame = node.callFrame;
    let label = frame.functionName || '(anonymous)';
    if (!frame.functionName && isProjectFile(frame.url.replace(/^file:\/\//, ''))) {
      // An arrow function: name the closest named caller in the same file.
      for (let at = parent.get(id); at !== undefined; at = parent.get(at)) {
        const up = byId.get(at)!.callFrame;
        if (up.url !== frame.url) break;
        if (up.functionName) {
          label = `(anonymous in ${up.functionName})`;
          frame = up;
          break;
        }
      }
    }
    const key = `${label} ${where(frame)}`;
    self.set(key, (self.get(key) ?? 0) + us);
    // Inclusive per project file: each file on the stack once per sample.
    const files = new Set<string>();
    const functions = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const frame = byId.get(at)!.callFrame;
      const url = frame.url.replace(/^file:\/\//, '');
      if (isProjectFile(url)) {
        files.add(path.relative(ROOT, url));
        if (frame.functionName) functions.add(`${frame.functionName} ${where(frame)}`);
      }
    }
    for (const f of files) inclusiveFile.set(f, (inclusiveFile.get(f) ?? 0) + us);
    for (const f of functions) inclusiveFunction.set(f, (inclusiveFunction.get(f) ?? 0) + us);
  }
  const pct = (us: number) => `${((100 * us) / total).toFixed(1).padStart(5)} %`;
  const lines = [`busy ${(total / 1e6).toFixed(2)} s sampled (idle ${(idle / 1e6).toFixed(2)} s left out); percentages of busy time`, '', 'self time:'];
  for (const [key, us] of [...self].sort((a, b) => b[1] - a[1]).slice(0, top)) lines.push(`${pct(us)}  ${key}`);
  lines.push('', 'inclusive time per named project function:');
  for (const [fn, us] of [...inclusiveFunction].sort((a, b) => b[1] - a[1]).slice(0, top)) lines.push(`${pct(us)}  ${fn}`);
  lines.push('', 'inclusive time per project file:');
  for (const [file, us] of [...inclusiveFile].sort((a, b) => b[1] - a[1]).slice(0, top)) lines.push(`${pct(us)}  ${file}`);
  return lines.join('\n');
}

if (require.main === module) {
  const [file, top] = process.argv.slice(2);
  if (!file) {
    console.error('usage: cpu-profile.ts FILE.cpuprofile [top]');
    process.exit(2);
  }
  console.log(summarise(JSON.parse(fs.readFileSync(file, 'utf8')) as Profile, Number(top ?? 25)));
}

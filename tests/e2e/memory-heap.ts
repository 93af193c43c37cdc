import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import type { CDPSession } from '@playwright/test';

/**
 * Heap evidence for SECURITY-CASES LS-01 in Chromium: a V8 heap snapshot taken through the
 * DevTools protocol, split into the strings still reachable from the GC roots over strong
 * edges (what any script could still find) and every string the snapshot names (including
 * objects held only weakly); and a raw scan of a process's readable memory.
 */
interface RawSnapshot {
  snapshot: {
    meta: {
      node_fields: string[];
      node_types: [string[], ...unknown[]];
      edge_fields: string[];
      edge_types: [string[], ...unknown[]];
    };
  };
  nodes: number[];
  edges: number[];
  strings: string[];
}

export interface HeapStrings {
  /** Contents of string nodes reachable from the roots over non-weak edges. */
  readonly reachable: string[];
  /** How the first reachable string containing `marker` is held, from the roots (diagnosis). */
  retainers(marker: string): string;
  /** Every string the snapshot holds: names of all nodes, reachable or not. */
  readonly all: readonly string[];
}

export async function takeHeapSnapshot(session: CDPSession): Promise<HeapStrings> {
  const chunks: string[] = [];
  const onChunk = ({ chunk }: { chunk: string }) => chunks.push(chunk);
  session.on('HeapProfiler.addHeapSnapshotChunk', onChunk);
  await session.send('HeapProfiler.enable');
  await session.send('HeapProfiler.collectGarbage');
  await session.send('HeapProfiler.collectGarbage');
  await session.send('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
  session.off('HeapProfiler.addHeapSnapshotChunk', onChunk);
  return analyse(JSON.parse(chunks.join('')) as RawSnapshot);
}

function analyse(raw: RawSnapshot): HeapStrings {
  const { meta } = raw.snapshot;
  const nodeWidth = meta.node_fields.length;
  const edgeWidth = meta.edge_fields.length;
  const typeAt = meta.node_fields.indexOf('type');
  const nameAt = meta.node_fields.indexOf('name');
  const edgeCountAt = meta.node_fields.indexOf('edge_count');
  const edgeTypeAt = meta.edge_fields.indexOf('type');
  const toNodeAt = meta.edge_fields.indexOf('to_node');
  const nodeTypes = meta.node_types[0];
  const weak = meta.edge_types[0].indexOf('weak');
  const stringTypes = new Set(
    ['string', 'concatenated string', 'sliced string'].map((t) => nodeTypes.indexOf(t)),
  );
  const count = raw.nodes.length / nodeWidth;
  const firstEdge = new Uint32Array(count + 1);
  for (let n = 0; n < count; n += 1) {
    firstEdge[n + 1] = firstEdge[n]! + raw.nodes[n * nodeWidth + edgeCountAt]! * edgeWidth;
  }
  const seen = new Uint8Array(count);
  const parentEdge = new Int32Array(count).fill(-1);
  const queue = [0];
  seen[0] = 1;
  const reachable: string[] = [];
  const stringNodes: number[] = [];
  for (let head = 0; head < queue.length; head += 1) {
    const n = queue[head]!;
    if (stringTypes.has(raw.nodes[n * nodeWidth + typeAt]!)) {
      reachable.push(raw.strings[raw.nodes[n * nodeWidth + nameAt]!]!);
      stringNodes.push(n);
    }
    for (let e = firstEdge[n]!; e < firstEdge[n + 1]!; e += edgeWidth) {
      if (raw.edges[e + edgeTypeAt] === weak) continue;
      const to = raw.edges[e + toNodeAt]! / nodeWidth;
      if (seen[to] === 0) {
        seen[to] = 1;
        parentEdge[to] = e;
        queue.push(to);
      }
    }
  }
  const edgeOwner = (edge: number) => {
    let lo = 0;
    let hi = count - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (firstEdge[mid]! <= edge) lo = mid;
      else hi = mid - 1;
    }
    while (firstEdge[lo + 1] === firstEdge[lo]) lo += 1;
    return lo;
  };
  const nameAtEdge = (edge: number) => {
    const type = meta.edge_types[0][raw.edges[edge + edgeTypeAt]!];
    const value = raw.edges[edge + meta.edge_fields.indexOf('name_or_index')]!;
    return type === 'element' || type === 'hidden' ? `[${value}]` : raw.strings[value];
  };
  const retainers = (marker: string) => {
    const at = reachable.findIndex((text) => text.includes(marker));
    if (at === -1) return '';
    const path: string[] = [];
    for (let n = stringNodes[at]!; parentEdge[n]! !== -1 && path.length < 40;) {
      const edge = parentEdge[n]!;
      const owner = edgeOwner(edge);
      const ownerType = nodeTypes[raw.nodes[owner * nodeWidth + typeAt]!];
      const ownerName = raw.strings[raw.nodes[owner * nodeWidth + nameAt]!]!.slice(0, 60);
      path.push(`${ownerType}:${ownerName} .${nameAtEdge(edge)}`);
      n = owner;
    }
    return path.reverse().join('\n');
  };
  return { reachable, all: raw.strings, retainers };
}

export function countOccurrences(haystack: Buffer, needle: Buffer): number {
  let hits = 0;
  for (let at = haystack.indexOf(needle); at !== -1; at = haystack.indexOf(needle, at + 1)) {
    hits += 1;
  }
  return hits;
}

/**
 * Counts each marker (UTF-8 and UTF-16LE) in the readable, private mappings of process `pid`
 * through /proc/<pid>/mem. Needs the same user and ptrace permission; throws where denied.
 */
export function scanProcessMemory(pid: number, markers: readonly string[]): Map<string, number> {
  const needles = markers.map(
    (m) => [m, Buffer.from(m, 'utf8'), Buffer.from(m, 'utf16le')] as const,
  );
  const totals = new Map(markers.map((m) => [m, 0]));
  const maps = readFileSync(`/proc/${pid}/maps`, 'utf8').split('\n');
  const fd = openSync(`/proc/${pid}/mem`, 'r');
  try {
    for (const line of maps) {
      const match = /^([0-9a-f]+)-([0-9a-f]+) r/.exec(line);
      if (!match || line.includes('[vvar]') || line.includes('[vsyscall]')) continue;
      const start = Number.parseInt(match[1]!, 16);
      const length = Number.parseInt(match[2]!, 16) - start;
      if (length > 1 << 30) continue;
      const buffer = Buffer.alloc(length);
      try {
        readSync(fd, buffer, 0, length, start);
      } catch {
        continue;
      }
      for (const [marker, utf8, utf16] of needles) {
        totals.set(
          marker,
          totals.get(marker)! + countOccurrences(buffer, utf8) + countOccurrences(buffer, utf16),
        );
      }
    }
  } finally {
    closeSync(fd);
  }
  return totals;
}

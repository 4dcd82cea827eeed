/**
 * Reads the file valgrind's massif writes (the text `ms_print` formats): its snapshots and, for
 * a detailed one, the live heap by allocation site. A site is a direct caller of malloc/new (a
 * child of the tree's root), named by its function: the places inside one function that
 * allocate count as one site.
 *
 *   snapshot=K / time=T / mem_heap_B=B / mem_heap_extra_B=E / mem_stacks_B=S
 *   heap_tree=empty|detailed|peak, then for detailed and peak the tree, one node a line:
 *   n<children>: <bytes> <0xADDRESS: function (in library) | (file:line)>, indented by depth
 */

export interface MassifSnapshot {
  index: number;
  /** Bytes the program asked for and has not freed (massif's mem_heap_B). */
  heapBytes: number;
  kind: 'empty' | 'detailed' | 'peak';
  /** Live bytes by site; empty for an empty snapshot. */
  sites: Map<string, number>;
}

/** The site of massif's sites below its threshold, which it reports only as a sum. */
export const otherSite = 'other';

const belowThreshold = /^in [\d,]+ places?, (all )?below massif's threshold/;

/** Removes every `, PREFIX<…>` (balanced) from a C++ name: template arguments left at default. */
function withoutArgument(name: string, prefix: string): string {
  let result = name;
  for (let at = result.indexOf(prefix); at >= 0; at = result.indexOf(prefix, at)) {
    let depth = 0;
    let end = at + prefix.length - 1; // the opening '<'
    do {
      if (result[end] === '<') depth++;
      else if (result[end] === '>') depth--;
      end++;
    } while (depth > 0 && end < result.length);
    result = result.slice(0, at) + result.slice(end);
  }
  return result;
}

/** libstdc++'s spelled-out strings and default allocators, as the source would name them. */
function readable(name: string): string {
  const strings = name.replace(
    /std::__cxx11::basic_string<char, std::char_traits<char>, std::allocator<char> >/g,
    'std::string',
  );
  return withoutArgument(strings, ', std::allocator<').replace(/ >/g, '>');
}

/** A site's name from a tree node's description: the function, without address or location. */
export function siteName(description: string): string {
  if (belowThreshold.test(description)) return otherSite;
  const withoutAddress = description.replace(/^0x[0-9A-Fa-f]+: /, '');
  const location = / \((?:in ([^()]+)|[^()\s]+:\d+)\)$/.exec(withoutAddress);
  const name = (location ? withoutAddress.slice(0, location.index) : withoutAddress)
    // A function's clones (.isra, .part, .constprop) are the same source function.
    .replace(/ \[clone [^\]]+\]/g, '')
    .trim();
  // Without symbols only the library tells unknown functions apart.
  const library = location?.[1]?.split('/').pop();
  return name === '???' && library !== undefined ? `??? (${library})` : readable(name);
}

function isKind(kind: string): kind is MassifSnapshot['kind'] {
  return kind === 'empty' || kind === 'detailed' || kind === 'peak';
}

export function parseMassif(text: string): MassifSnapshot[] {
  const snapshots: MassifSnapshot[] = [];
  let current: MassifSnapshot | undefined;
  for (const line of text.split('\n')) {
    const field = /^(\w+)=(.*)$/.exec(line);
    if (field) {
      const [, key, value = ''] = field;
      if (key === 'snapshot') {
        current = { index: Number(value), heapBytes: 0, kind: 'empty', sites: new Map() };
        snapshots.push(current);
      } else if (current && key === 'mem_heap_B') current.heapBytes = Number(value);
      else if (current && key === 'heap_tree') {
        if (!isKind(value)) throw new Error(`massif: unknown heap_tree=${value}`);
        current.kind = value;
      }
      continue;
    }
    // Depth 1 (one space of indentation): the root's children, the allocation sites.
    const node = /^ n\d+: (\d+) (.*)$/.exec(line);
    if (!current || !node) continue;
    const name = siteName(node[2] ?? '');
    current.sites.set(name, (current.sites.get(name) ?? 0) + Number(node[1]));
  }
  return snapshots;
}

/**
 * The snapshot to attribute: the peak of a whole run's file, else the largest detailed one (a
 * file of snapshots taken on request, as `vgdb … detailed_snapshot` writes, has no peak).
 */
export function snapshotToAttribute(snapshots: readonly MassifSnapshot[]): MassifSnapshot {
  const peak = snapshots.find((snapshot) => snapshot.kind === 'peak');
  if (peak) return peak;
  const detailed = snapshots
    .filter((snapshot) => snapshot.kind === 'detailed')
    .sort((a, b) => b.heapBytes - a.heapBytes)[0];
  if (detailed === undefined) throw new Error('massif: no detailed snapshot in the file');
  return detailed;
}

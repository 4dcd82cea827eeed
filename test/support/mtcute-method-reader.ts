/**
 * Reading mtcute's serialized *requests* back with mtcute's own TL reader. mtcute ships
 * readers for constructors only (__tlReaderMap: a client never receives a method) and its
 * reader generator is not published, so the readers of the methods asked for are derived
 * here from mtcute's own schema (@mtcute/core/tl/api-schema.json), argument by argument, on
 * top of TlBinaryReader's primitives; nested objects go through __tlReaderMap as usual.
 */
import { TlBinaryReader, type TlReaderMap } from '@mtcute/tl-runtime';
import { __tlReaderMap } from '@mtcute/core/utils.js';

interface SchemaArgument {
  name: string;
  type: string;
  typeModifiers?: { predicate?: string };
}

interface SchemaEntry {
  kind: 'class' | 'method';
  name: string;
  id: number;
  arguments: SchemaArgument[];
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const schema = require('@mtcute/core/tl/api-schema.json') as { e: SchemaEntry[] };

/** mtcute's field names: snake_case → camelCase (g_a_hash → gAHash). */
const camel = (name: string): string =>
  name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

function readValue(reader: TlBinaryReader, type: string): unknown {
  switch (type) {
    case 'int':
      return reader.int();
    case 'long':
      return reader.long();
    case 'double':
      return reader.double();
    case 'bytes':
      return reader.bytes();
    case 'string':
      return reader.string();
    case 'Bool':
      return reader.boolean();
    case 'int128':
      return reader.int128();
    case 'int256':
      return reader.int256();
    default: {
      const vector = /^Vector<(.+)>$/.exec(type);
      if (vector !== null) {
        const item = vector[1] ?? '';
        return reader.vector(() => readValue(reader, item));
      }
      return reader.object();
    }
  }
}

function methodReader(entry: SchemaEntry): (reader: TlBinaryReader) => unknown {
  return (reader) => {
    const result: Record<string, unknown> = { _: entry.name };
    const flags: Record<string, number> = {};
    for (const argument of entry.arguments) {
      if (argument.type === '#') {
        flags[argument.name] = reader.uint();
        continue;
      }
      const predicate = argument.typeModifiers?.predicate;
      if (predicate !== undefined) {
        const [field = '', bit = '0'] = predicate.split('.');
        const set = ((flags[field] ?? 0) & (1 << Number(bit))) !== 0;
        // mtcute's constructor readers give absent `true` flags as false, other absent fields
        // as undefined; the same here.
        if (argument.type === 'true') result[camel(argument.name)] = set;
        else if (set) result[camel(argument.name)] = readValue(reader, argument.type);
        continue;
      }
      result[camel(argument.name)] = readValue(reader, argument.type);
    }
    return result;
  };
}

/** __tlReaderMap plus readers for the methods `names` (e.g. 'phone.requestCall'). */
export function readerMapWithMethods(names: readonly string[]): TlReaderMap {
  const map: TlReaderMap = { ...__tlReaderMap };
  for (const name of names) {
    const entry = schema.e.find((item) => item.kind === 'method' && item.name === name);
    if (entry === undefined) throw new Error(`mtcute's schema has no method ${name}`);
    map[entry.id] = methodReader(entry);
  }
  return map;
}

/** Reads one serialized request; throws unless it consumed every byte. */
export function readMtcuteRequest(map: TlReaderMap, bytes: Uint8Array): Record<string, unknown> {
  const reader = new TlBinaryReader(map, bytes);
  const value = reader.object() as Record<string, unknown>;
  if (reader.pos !== bytes.length) {
    throw new Error(`request read ${reader.pos} of ${bytes.length} bytes`);
  }
  return value;
}

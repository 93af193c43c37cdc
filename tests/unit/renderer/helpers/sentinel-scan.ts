/**
 * H5 sentinel scanner over live objects: walks everything reachable from a root — own
 * properties, Map and Set entries, arrays, typed arrays and ArrayBuffers (read as UTF-8 and
 * UTF-16LE) — and reports where any marker appears, and where a CryptoKey is still reachable.
 * Private class fields (#x) cannot be reached from outside, which is also true for any other
 * code in the page; what matters is what stays reachable through the store.
 */
export interface ScanHit {
  readonly path: string;
  readonly marker: string;
}

export interface ScanResult {
  readonly hits: ScanHit[];
  readonly cryptoKeys: string[];
}

const utf8 = new TextDecoder('utf-8', { fatal: false });
const utf16 = new TextDecoder('utf-16le', { fatal: false });

export function scanForSentinels(root: unknown, markers: readonly string[]): ScanResult {
  const hits: ScanHit[] = [];
  const cryptoKeys: string[] = [];
  const seen = new WeakSet<object>();
  const check = (text: string, path: string) => {
    for (const marker of markers) if (text.includes(marker)) hits.push({ path, marker });
  };
  const visit = (value: unknown, path: string, depth: number): void => {
    if (depth > 64) return;
    if (typeof value === 'string') {
      check(value, path);
      return;
    }
    if (typeof value !== 'object' || value === null) return;
    if (seen.has(value)) return;
    seen.add(value);
    if (typeof CryptoKey !== 'undefined' && value instanceof CryptoKey) {
      cryptoKeys.push(path);
      return;
    }
    if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) {
      const bytes =
        value instanceof ArrayBuffer
          ? new Uint8Array(value)
          : new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
      check(utf8.decode(bytes), `${path} (utf-8)`);
      check(utf16.decode(bytes.subarray(0, bytes.length - (bytes.length % 2))), `${path} (utf-16)`);
      return;
    }
    if (value instanceof Map) {
      for (const [k, v] of value) {
        visit(k, `${path}.<key>`, depth + 1);
        visit(v, `${path}[${String(k)}]`, depth + 1);
      }
      return;
    }
    if (value instanceof Set) {
      let i = 0;
      for (const v of value) visit(v, `${path}{${i++}}`, depth + 1);
      return;
    }
    for (const key of Reflect.ownKeys(value)) {
      const descriptor = Object.getOwnPropertyDescriptor(value, key);
      if (descriptor && 'value' in descriptor) {
        visit(descriptor.value, `${path}.${String(key)}`, depth + 1);
      }
    }
  };
  visit(root, '$', 0);
  return { hits, cryptoKeys };
}

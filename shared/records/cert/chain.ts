/**
 * Orders certificates leaf → intermediates → root by linking each certificate's issuer to
 * another's subject (RFC 5280 §6.1 path order). Files list chains in every order — fullchain
 * files leaf first, PKCS#12 bags often root first — so input order is never trusted.
 */
import { constantTimeEqual as bytesEqual } from '../../crypto/compare.ts';
import type { ParsedCertificate } from './certificate.ts';

/** Whether `parent` could have issued `child`: names match, and key ids too when both exist. */
export function couldHaveIssued(child: ParsedCertificate, parent: ParsedCertificate): boolean {
  if (child.issuerKey !== parent.subjectKey) return false;
  if (child.authorityKeyId !== undefined && parent.subjectKeyId !== undefined) {
    return bytesEqual(child.authorityKeyId, parent.subjectKeyId);
  }
  return true;
}

function isSelfIssued(cert: ParsedCertificate): boolean {
  return couldHaveIssued(cert, cert);
}

/** Certificates by subject, so each step up a path looks at same-named candidates only. */
function indexBySubject(pool: readonly ParsedCertificate[]): Map<string, ParsedCertificate[]> {
  const index = new Map<string, ParsedCertificate[]>();
  for (const cert of pool)
    index.set(cert.subjectKey, [...(index.get(cert.subjectKey) ?? []), cert]);
  return index;
}

function pathFrom(
  start: ParsedCertificate,
  bySubject: Map<string, ParsedCertificate[]>,
): ParsedCertificate[] {
  const path = [start];
  const onPath = new Set(path);
  let current = start;
  while (!isSelfIssued(current)) {
    const next = (bySubject.get(current.issuerKey) ?? []).find(
      (candidate) => !onPath.has(candidate) && couldHaveIssued(current, candidate),
    );
    if (next === undefined) break;
    path.push(next);
    onPath.add(next);
    current = next;
  }
  return path;
}

/**
 * Removes exact duplicates, picks the leaf (the certificate of the private key when one is given,
 * else one that issued nothing else in the input, preferring the longest path and a non-CA), and
 * returns the path from it followed by any certificates that are not on that path.
 */
export function orderChain(
  certificates: readonly ParsedCertificate[],
  keyOwner?: ParsedCertificate,
): ParsedCertificate[] {
  const unique: ParsedCertificate[] = [];
  for (const cert of certificates) {
    if (!unique.some((seen) => seen.info.sha256Fingerprint === cert.info.sha256Fingerprint))
      unique.push(cert);
  }
  const bySubject = indexBySubject(unique);
  let leaf = keyOwner;
  if (leaf === undefined) {
    const candidates = unique.filter(
      (cert) => !unique.some((other) => other !== cert && couldHaveIssued(other, cert)),
    );
    const ranked = (candidates.length > 0 ? candidates : unique).map((cert, index) => ({
      cert,
      index,
      length: pathFrom(cert, bySubject).length,
    }));
    ranked.sort(
      (a, b) =>
        b.length - a.length ||
        Number(a.cert.info.isCa) - Number(b.cert.info.isCa) ||
        a.index - b.index,
    );
    leaf = ranked[0]?.cert;
  }
  if (leaf === undefined) return [];
  const path = pathFrom(leaf, bySubject);
  const onPath = new Set(path);
  return [...path, ...unique.filter((cert) => !onPath.has(cert))];
}

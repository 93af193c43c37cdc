/**
 * The certificate record importer: takes what a user drops or pastes (PEM text, a DER file, a
 * PKCS#12 file), finds every certificate and private key in it, orders the chain, checks each
 * link's signature and whether the key belongs to the leaf, and returns the normal form to store.
 */
import { CofferError } from '../../errors.ts';
import { orderChain, couldHaveIssued } from './chain.ts';
import { parseCertificate, type ParsedCertificate } from './certificate.ts';
import { classifyDer, readPkcs7Certificates, type DerKind } from './containers.ts';
import { AsnError, parseDer, parseFirst, type Tlv } from '../asn1/der.ts';
import { decryptLegacyPem, decryptPkcs8, withPassphrase } from './encrypted-key.ts';
import { describeBlock, readPemBlocks, toPem, type PemBlock } from '../pkcs/pem.ts';
import { readPkcs12 } from './pkcs12.ts';
import { parsePkcs1Rsa, parsePkcs8, parseSec1Ec, type ParsedPrivateKey } from './private-key.ts';
import type { CertificateImport, ChainEntry, ImportFormat, ImportOptions } from './types.ts';
import { validityAt } from './validity.ts';
import { verifySignature } from './verify.ts';

/** Far beyond any real chain or bundle (Mozilla's whole CA bundle is ~220 KB). */
export const MAX_INPUT_BYTES = 4 * 1024 * 1024;

/**
 * Mozilla's CA bundle holds ~150 certificates. Chain building compares certificates pairwise, so
 * a crafted file with thousands would stall the app.
 */
export const MAX_CERTIFICATES = 500;

/**
 * Each encrypted key block carries its own salt and work factor (up to about 2 s each under the
 * per-derivation caps of pbe.ts), so a pasted text repeating one block 200 times held the import
 * for 24 s, and 4 MB of them for hours. A certificate record has one key; a few are tolerated.
 */
export const MAX_ENCRYPTED_KEYS = 8;

interface Found {
  certificates: { der: Uint8Array; source: string }[];
  keys: ParsedPrivateKey[];
  friendlyName: string | undefined;
  warnings: string[];
}

function emptyFound(): Found {
  return { certificates: [], keys: [], friendlyName: undefined, warnings: [] };
}

function reason(error: unknown): string {
  return error instanceof AsnError ? error.message : 'unreadable structure';
}

/** A block whose DER is not even one complete element was cut off or corrupted in transit. */
function wholeElement(block: PemBlock): Tlv {
  try {
    return block.label === 'TRUSTED CERTIFICATE' ? parseFirst(block.der) : parseDer(block.der);
  } catch (error) {
    throw new CofferError(
      'pem_block_damaged',
      `${describeBlock(block)} is truncated or damaged (${reason(error)}).`,
      { cause: error },
    );
  }
}

function pkcs7Certificates(top: Tlv, source: string): Uint8Array[] {
  try {
    return readPkcs7Certificates(top).map((cert) => cert.raw);
  } catch (error) {
    throw new CofferError(
      'cert_malformed',
      `${source} is not a valid PKCS#7 bundle (${reason(error)}).`,
      { cause: error },
    );
  }
}

async function readPemKey(
  block: PemBlock,
  passphrase: string | undefined,
): Promise<ParsedPrivateKey> {
  const what = describeBlock(block);
  const encrypted = (block.headers.get('Proc-Type') ?? '').includes('ENCRYPTED');
  if (block.label === 'PRIVATE KEY') return parsePkcs8(block.der, what);
  if (block.label === 'ENCRYPTED PRIVATE KEY') {
    return withPassphrase(what, async () =>
      parsePkcs8(await decryptPkcs8(block.der, passphrase, what), what),
    );
  }
  const parse = block.label === 'RSA PRIVATE KEY' ? parsePkcs1Rsa : parseSec1Ec;
  if (!encrypted) return parse(block.der, what);
  return withPassphrase(what, async () =>
    parse(await decryptLegacyPem(block.headers, block.der, passphrase, what), what),
  );
}

const IGNORED_QUIETLY = new Set(['EC PARAMETERS']);

async function fromPem(text: string, passphrase: string | undefined): Promise<Found> {
  const found = emptyFound();
  const blocks = readPemBlocks(text);
  if (blocks.length === 0) {
    throw new CofferError('cert_not_found', 'The text holds no PEM block (-----BEGIN …-----).');
  }
  const encryptedKeys = blocks.filter(
    (block) =>
      block.label === 'ENCRYPTED PRIVATE KEY' ||
      (block.headers.get('Proc-Type') ?? '').includes('ENCRYPTED'),
  ).length;
  if (encryptedKeys > MAX_ENCRYPTED_KEYS) {
    throw new CofferError(
      'kdf_parameters_too_costly',
      `The text holds ${encryptedKeys} encrypted private keys; Coffer decrypts at most ` +
        `${MAX_ENCRYPTED_KEYS} in one import.`,
    );
  }
  for (const block of blocks) {
    const source = describeBlock(block);
    switch (block.label) {
      case 'CERTIFICATE':
      case 'X509 CERTIFICATE':
      case 'TRUSTED CERTIFICATE':
        found.certificates.push({ der: wholeElement(block).raw, source });
        break;
      case 'PKCS7':
        for (const der of pkcs7Certificates(wholeElement(block), source)) {
          found.certificates.push({ der, source });
        }
        break;
      case 'PRIVATE KEY':
      case 'ENCRYPTED PRIVATE KEY':
      case 'RSA PRIVATE KEY':
      case 'EC PRIVATE KEY':
        if (!(block.headers.get('Proc-Type') ?? '').includes('ENCRYPTED')) wholeElement(block);
        found.keys.push(await readPemKey(block, passphrase));
        break;
      default:
        if (!IGNORED_QUIETLY.has(block.label)) {
          found.warnings.push(`${source} is not a certificate or private key and was ignored.`);
        }
    }
  }
  return found;
}

async function fromDer(
  bytes: Uint8Array,
  passphrase: string | undefined,
): Promise<{ found: Found; format: ImportFormat }> {
  let top: Tlv;
  let kind: DerKind;
  try {
    top = parseDer(bytes);
    kind = classifyDer(top);
  } catch (error) {
    throw new CofferError(
      'cert_malformed',
      `The binary file is truncated or not DER (${reason(error)}).`,
      { cause: error },
    );
  }
  const found = emptyFound();
  const what = 'The binary file';
  switch (kind) {
    case 'certificate':
      found.certificates.push({ der: top.raw, source: 'the DER certificate' });
      return { found, format: 'der' };
    case 'pkcs7':
      for (const der of pkcs7Certificates(top, 'The PKCS#7 bundle')) {
        found.certificates.push({ der, source: 'the PKCS#7 bundle' });
      }
      return { found, format: 'der' };
    case 'pkcs12': {
      const contents = await readPkcs12(bytes, passphrase);
      contents.certificates.forEach((bag, index) =>
        found.certificates.push({ der: bag.der, source: `PKCS#12 certificate ${index + 1}` }),
      );
      for (const [index, bag] of contents.keys.entries())
        found.keys.push(parsePkcs8(bag.der, `PKCS#12 key ${index + 1}`));
      found.friendlyName = contents.keys[0]?.friendlyName ?? contents.certificates[0]?.friendlyName;
      found.warnings.push(...contents.warnings);
      return { found, format: 'pkcs12' };
    }
    case 'pkcs8':
      found.keys.push(parsePkcs8(bytes, what));
      return { found, format: 'der' };
    case 'encrypted-pkcs8':
      found.keys.push(
        await withPassphrase(what, async () =>
          parsePkcs8(await decryptPkcs8(bytes, passphrase, what), what),
        ),
      );
      return { found, format: 'der' };
    case 'pkcs1-rsa':
      found.keys.push(parsePkcs1Rsa(bytes, what));
      return { found, format: 'der' };
    case 'sec1-ec':
      found.keys.push(parseSec1Ec(bytes, what));
      return { found, format: 'der' };
    default:
      throw new CofferError(
        'cert_malformed',
        'The binary file is DER but not a certificate, key or PKCS#12 file.',
      );
  }
}

function parseAll(found: Found): ParsedCertificate[] {
  if (found.certificates.length > MAX_CERTIFICATES) {
    throw new CofferError(
      'invalid_input',
      `The input holds ${found.certificates.length} certificates; the limit is ${MAX_CERTIFICATES}.`,
    );
  }
  return found.certificates.map(({ der, source }) => {
    try {
      return parseCertificate(parseDer(der));
    } catch (error) {
      throw new CofferError(
        'cert_malformed',
        `${source} is not a valid X.509 certificate (${reason(error)}).`,
        {
          cause: error,
        },
      );
    }
  });
}

async function link(chain: readonly ParsedCertificate[], now: Date): Promise<ChainEntry[]> {
  return Promise.all(
    chain.map(async (cert, index) => {
      const issuerIndex = couldHaveIssued(cert, cert)
        ? index
        : chain.findIndex((candidate, j) => j !== index && couldHaveIssued(cert, candidate));
      const issuer = issuerIndex < 0 ? undefined : chain[issuerIndex];
      return {
        certificate: cert.info,
        validity: validityAt(cert.info, now),
        issuerIndex: issuer === undefined ? undefined : issuerIndex,
        signature: issuer === undefined ? undefined : await verifySignature(cert, issuer),
      };
    }),
  );
}

/**
 * Text or binary? DER starts with a SEQUENCE (0x30); PEM is found by its armour, also in files
 * saved as UTF-16 by Windows editors (byte-order mark FF FE or FE FF).
 */
function toBytesOrText(input: Uint8Array | string): { text: string } | { bytes: Uint8Array } {
  if (typeof input === 'string') return { text: input };
  if (input[0] === 0xff && input[1] === 0xfe)
    return { text: new TextDecoder('utf-16le').decode(input) };
  if (input[0] === 0xfe && input[1] === 0xff)
    return { text: new TextDecoder('utf-16be').decode(input) };
  if (input[0] === 0x30) return { bytes: input };
  const head = new TextDecoder('latin1').decode(input.subarray(0, 64 * 1024));
  if (head.includes('-----BEGIN ')) return { text: new TextDecoder('utf-8').decode(input) };
  return { bytes: input };
}

async function readInput(
  input: Uint8Array | string,
  passphrase: string | undefined,
): Promise<{ found: Found; format: ImportFormat }> {
  const source = toBytesOrText(input);
  if ('text' in source) return { found: await fromPem(source.text, passphrase), format: 'pem' };
  if (source.bytes[0] === 0x30) return fromDer(source.bytes, passphrase);
  throw new CofferError(
    'invalid_input',
    'The input is neither PEM text nor a DER or PKCS#12 file.',
  );
}

function chainWarnings(
  chain: readonly ChainEntry[],
  keyMatchesLeaf: boolean | undefined,
): string[] {
  const warnings: string[] = [];
  if (keyMatchesLeaf === false)
    warnings.push('The private key does not belong to the leaf certificate.');
  chain.forEach((entry, index) => {
    if (index > 0 && !chain.slice(0, index).some((child) => child.issuerIndex === index)) {
      warnings.push(
        `Certificate ${index + 1} (${entry.certificate.subject}) is not part of the leaf's chain.`,
      );
    }
  });
  return warnings;
}

async function assemble(found: Found, format: ImportFormat, now: Date): Promise<CertificateImport> {
  const certificates = parseAll(found);
  if (certificates.length === 0) {
    throw new CofferError(
      'cert_not_found',
      'The input holds no certificate; a certificate record needs one.',
    );
  }
  // Keep the key whose certificate is in the input; a record stores one key.
  const owners = found.keys.map((key) =>
    certificates.find((cert) => cert.publicKey.identity === key.identity),
  );
  const keyIndex = Math.max(
    0,
    owners.findIndex((owner) => owner !== undefined),
  );
  const key = found.keys[keyIndex];
  const ordered = orderChain(certificates, owners[keyIndex]);
  const chain = await link(ordered, now);
  const keyMatchesLeaf =
    key === undefined ? undefined : ordered[0]?.publicKey.identity === key.identity;
  const warnings = [...found.warnings, ...chainWarnings(chain, keyMatchesLeaf)];
  // The same key twice (e.g. PKCS#8 and SEC1 copies in one bundle) is not worth a warning.
  const distinctKeys = new Set(found.keys.map((candidate) => candidate.identity)).size;
  if (distinctKeys > 1) {
    warnings.push(
      `${distinctKeys} different private keys were found; only one is kept with the certificate.`,
    );
  }
  return {
    format,
    chain,
    privateKey: key?.summary,
    keyMatchesLeaf,
    chainPem: ordered.map((cert) => toPem('CERTIFICATE', cert.info.der)).join(''),
    friendlyName: found.friendlyName,
    warnings,
  };
}

/**
 * Imports certificate material. Throws CofferError with codes wrong_passphrase,
 * passphrase_required, pem_block_damaged, cert_malformed, key_malformed, cert_not_found,
 * unsupported_algorithm, kdf_parameters_too_costly or invalid_input.
 */
export async function importCertificate(
  input: Uint8Array | string,
  options: ImportOptions = {},
): Promise<CertificateImport> {
  const size = input.length;
  if (size === 0) throw new CofferError('invalid_input', 'The certificate input is empty.');
  if (size > MAX_INPUT_BYTES) {
    throw new CofferError(
      'invalid_input',
      `The certificate input is ${size} bytes; the limit is ${MAX_INPUT_BYTES}.`,
    );
  }
  const now = options.now ?? new Date();
  if (Number.isNaN(now.getTime())) {
    throw new CofferError('invalid_input', 'The instant to judge validity at is not a valid date.');
  }
  try {
    const { found, format } = await readInput(input, options.passphrase);
    return await assemble(found, format, now);
  } catch (error) {
    if (error instanceof CofferError) throw error;
    // Every structural failure is caught closer to its source; this is the last line, so that
    // callers only ever see a CofferError (and never a library message quoting input bytes).
    throw new CofferError(
      'cert_malformed',
      'The input could not be read as certificate material.',
      {
        cause: error,
      },
    );
  }
}

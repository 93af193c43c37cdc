// Coffer's own DER reader against @peculiar/asn1-x509, an independent ASN.1 implementation, on
// every certificate of the case files: serial, validity, each name attribute's decoded text, and
// the SAN DNS names must agree.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AsnConvert } from '@peculiar/asn1-schema';
import { Certificate, SubjectAlternativeName, id_ce_subjectAltName } from '@peculiar/asn1-x509';
import type { Name } from '@peculiar/asn1-x509';
import { describe, expect, it } from 'vitest';
import { parseCertificate } from '../../../../../shared/records/cert/certificate.ts';
import { TAG, children, parseDer } from '../../../../../shared/records/asn1/der.ts';
import { readName } from '../../../../../shared/records/cert/name.ts';
import { readPemBlocks } from '../../../../../shared/records/pkcs/pem.ts';

const FIXTURES = join(import.meta.dirname, '../../../../fixtures/cert');

function certificatesOf(file: string): Uint8Array[] {
  const bytes = readFileSync(join(FIXTURES, file));
  if (bytes[0] === 0x30) return [new Uint8Array(bytes)];
  return readPemBlocks(bytes.toString('utf8'))
    .filter((block) => block.label === 'CERTIFICATE')
    .map((block) => block.der);
}

function libraryNameValues(name: Name): string[][] {
  return name.map((rdn) => rdn.map((atv) => `${atv.type}=${atv.value.toString()}`));
}

function ourNameValues(der: Uint8Array, which: 'issuer' | 'subject'): string[][] {
  const tbs = children(parseDer(der))[0];
  const parts = children(tbs ?? parseDer(der));
  const offset = parts[0]?.tag === 0xa0 ? 1 : 0;
  const tlv = parts[offset + (which === 'issuer' ? 2 : 4)];
  if (tlv?.tag !== TAG.sequence) throw new Error('name missing');
  return readName(tlv, which).map((rdn) => rdn.map((a) => `${a.oid}=${a.value ?? ''}`));
}

describe('DER reader agrees with @peculiar/asn1-x509', () => {
  const files = [
    'cert-01-fullchain.pem',
    'cert-02-leaf.cer',
    'cert-07-expired.pem',
    'cert-08-unicode-subject.pem',
    'cert-10-bag-attributes-crlf.pem',
  ];
  for (const file of files) {
    it(`reads ${file} as the library does`, () => {
      for (const der of certificatesOf(file)) {
        const library = AsnConvert.parse(der, Certificate).tbsCertificate;
        const ours = parseCertificate(parseDer(der)).info;
        const serial = Buffer.from(library.serialNumber)
          .toString('hex')
          .replace(/^00(?=.)/, '');
        expect(ours.serialNumber.replaceAll(':', '').toLowerCase()).toBe(serial);
        expect(ours.notBefore.getTime()).toBe(library.validity.notBefore.getTime().getTime());
        expect(ours.notAfter.getTime()).toBe(library.validity.notAfter.getTime().getTime());
        expect(ourNameValues(der, 'subject')).toEqual(libraryNameValues(library.subject));
        expect(ourNameValues(der, 'issuer')).toEqual(libraryNameValues(library.issuer));
        const sanExtension = library.extensions?.find((e) => e.extnID === id_ce_subjectAltName);
        const libraryDns = sanExtension
          ? AsnConvert.parse(sanExtension.extnValue, SubjectAlternativeName).flatMap((n) =>
              n.dNSName === undefined ? [] : [n.dNSName],
            )
          : [];
        expect(ours.subjectAltNames.filter((n) => n.type === 'dns').map((n) => n.value)).toEqual(
          libraryDns,
        );
      }
    });
  }
});

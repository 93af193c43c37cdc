import { generateKeyPairSync } from 'node:crypto';
import forge from 'node-forge';

/**
 * A certificate for 127.0.0.1 that no trust store knows, made at test time (Node cannot issue
 * certificates; node-forge can), for TLS-failure tests.
 */
export function untrustedCertificate(): { cert: string; key: string } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const key = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const certificate = forge.pki.createCertificate();
  certificate.publicKey = forge.pki.publicKeyFromPem(
    publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  );
  certificate.serialNumber = '01';
  certificate.validity.notBefore = new Date(Date.now() - 60_000);
  certificate.validity.notAfter = new Date(Date.now() + 3_600_000);
  certificate.setSubject([{ name: 'commonName', value: '127.0.0.1' }]);
  certificate.setIssuer([{ name: 'commonName', value: '127.0.0.1' }]);
  certificate.sign(forge.pki.privateKeyFromPem(key), forge.md.sha256.create());
  return { cert: forge.pki.certificateToPem(certificate), key };
}

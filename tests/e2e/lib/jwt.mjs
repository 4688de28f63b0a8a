// JWTs in the tests: verification against the broker's published
// keys with jose (independently of openid-client), and deliberate tampering.
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';

const jwksByUri = new Map();

// One cached remote key set per JWKS URI, as a relying party would keep.
export function remoteKeys(jwksUri) {
  if (!jwksByUri.has(jwksUri)) jwksByUri.set(jwksUri, createRemoteJWKSet(new URL(jwksUri)));
  return jwksByUri.get(jwksUri);
}

// Verifies an RFC 9068 access token: signature, issuer, and `typ` at+jwt
// (jose also accepts application/at+jwt, which RFC 9068 §2.1 allows).
export async function verifyAccessToken(token, metadata) {
  return jwtVerify(token, remoteKeys(metadata.jwks_uri), {
    issuer: metadata.issuer,
    typ: 'at+jwt',
  });
}

export function verifyIdToken(token, metadata, clientId) {
  return jwtVerify(token, remoteKeys(metadata.jwks_uri), {
    issuer: metadata.issuer,
    audience: clientId,
  });
}

export { decodeProtectedHeader };

function decodePart(part) {
  return JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
}

function encodePart(value) {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

// The same token with `changes` merged into its payload and the original
// signature kept: a forgery a verifier must reject.
export function withPayloadChanged(token, changes) {
  const [header, payload, signature] = token.split('.');
  return [header, encodePart({ ...decodePart(payload), ...changes }), signature].join('.');
}

// The same token with one byte of its signature flipped.
export function withSignatureFlipped(token) {
  const [header, payload, signature] = token.split('.');
  const bytes = Buffer.from(signature, 'base64url');
  bytes[Math.floor(bytes.length / 2)] ^= 0x01;
  return [header, payload, bytes.toString('base64url')].join('.');
}

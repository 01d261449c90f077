import type { ServerInterceptingCallInterface } from "@grpc/grpc-js";

/** What grpc-js reports of a call's transport: `call.getAuthContext()` on a handler's call or an interceptor's. */
export type AuthContext = ReturnType<ServerInterceptingCallInterface["getAuthContext"]>;

const SPIFFE_URI = "URI:spiffe://";

/**
 * Who is calling, from the client certificate the TLS handshake verified: its
 * SPIFFE ID (the `spiffe://` URI SAN) if it has one, else its subject CN.
 * Undefined without a client certificate, and when a certificate names itself
 * ambiguously (two SPIFFE IDs, or no SPIFFE ID and two CNs), so that no policy
 * ever has to guess. Only meaningful when the server checks client
 * certificates (serverCredentials with a client CA); otherwise an unverified
 * certificate could claim any name.
 */
export function callerIdentity(authContext: AuthContext | null | undefined): string | undefined {
  if (authContext?.transportSecurityType !== "ssl") return undefined;
  // Node reports a peer without a certificate as an empty object.
  const certificate = authContext.sslPeerCertificate;
  if (certificate?.subject === undefined) return undefined;
  // Node writes the SAN list as "DNS:a, URI:b"; a SPIFFE ID cannot contain a comma or a quote, so splitting is safe.
  const spiffeIds = (certificate.subjectaltname ?? "")
    .split(", ")
    .filter((name) => name.startsWith(SPIFFE_URI))
    .map((name) => name.slice("URI:".length));
  if (spiffeIds.length > 0) return spiffeIds.length === 1 ? spiffeIds[0] : undefined;
  const commonName: unknown = certificate.subject.CN;
  return typeof commonName === "string" && commonName !== "" ? commonName : undefined;
}

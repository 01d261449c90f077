import { execFile } from "node:child_process";
import { promisify } from "node:util";

const run = promisify(execFile);

/** The PEM files buf curl is given for TLS: the CA to check the server with, and for mTLS a client certificate and key. */
export interface BufCurlTls {
  cacert: string;
  cert?: string;
  key?: string;
}

/**
 * buf curl as an operator runs it, schema from server reflection: plaintext
 * gRPC (an http:// URL), or with `tls` TLS and mTLS (an https:// URL).
 */
export async function bufCurl(args: string[], tls?: BufCurlTls): Promise<{ stdout: string; exitCode: number }> {
  const transport =
    tls === undefined
      ? ["--http2-prior-knowledge"]
      : [
          "--cacert",
          tls.cacert,
          ...(tls.cert === undefined ? [] : ["--cert", tls.cert]),
          ...(tls.key === undefined ? [] : ["--key", tls.key]),
        ];
  try {
    const { stdout } = await run("node_modules/.bin/buf", [
      "curl",
      "--protocol",
      "grpc",
      ...transport,
      "--timeout",
      "5s",
      ...args,
    ]);
    return { stdout, exitCode: 0 };
  } catch (error) {
    const failed = error as { stdout: string; stderr: string; code: number };
    return { stdout: failed.stdout + failed.stderr, exitCode: failed.code };
  }
}

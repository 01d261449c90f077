import { execFile } from "node:child_process";
import { promisify } from "node:util";

const run = promisify(execFile);

/** buf curl as an operator runs it: plaintext gRPC, schema from server reflection. */
export async function bufCurl(args: string[]): Promise<{ stdout: string; exitCode: number }> {
  try {
    const { stdout } = await run("node_modules/.bin/buf", [
      "curl",
      "--protocol",
      "grpc",
      "--http2-prior-knowledge",
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

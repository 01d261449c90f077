import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { ConfigError } from "../config/ConfigError.js";
import type { Environment } from "../config/environmentParsers.js";

export type AccessDecision =
  { allowed: true } | { allowed: false; code: "UNAUTHENTICATED" | "PERMISSION_DENIED"; reason: string };

export interface AccessPolicy {
  /**
   * Whether a caller (callerIdentity; undefined without a client certificate)
   * may call a method, given as grpc-js names it (`/package.Service/Method`)
   * or without the leading slash. A caller the policy does not list is
   * UNAUTHENTICATED; a listed caller outside its methods is PERMISSION_DENIED.
   */
  authorize(identity: string | undefined, fullMethodPath: string): AccessDecision;
}

export const ACCESS_POLICY_HELP = `  AUTHZ_POLICY         YAML or JSON file of the callers (certificate identities) and the methods each may call
                       (unset: any caller may call anything; see deploy/policy.example.yaml)`;

/**
 * Open to anyone who passed the handshake: load balancers and orchestrators
 * probe health without an identity of their own, and tools list services
 * through reflection.
 */
const ALWAYS_OPEN_SERVICES = new Set([
  "grpc.health.v1.Health",
  "grpc.reflection.v1.ServerReflection",
  "grpc.reflection.v1alpha.ServerReflection",
]);

const IDENTIFIER = "[A-Za-z_][A-Za-z0-9_]*";
/** `*`, `package.Service/*`, `package.Service/Method` or `package.Service/Prefix*` (e.g. `Get*`). */
const METHOD_PATTERN = new RegExp(`^(?:\\*|(${IDENTIFIER}(?:\\.${IDENTIFIER})*)/(\\*|${IDENTIFIER}\\*?))$`);

type MethodMatcher = (service: string, method: string) => boolean;

function compileMethodPattern(pattern: string): MethodMatcher | undefined {
  const match = METHOD_PATTERN.exec(pattern);
  if (!match) return undefined;
  const [, service, method] = match;
  if (service === undefined) return () => true;
  if (method.endsWith("*")) {
    const prefix = method.slice(0, -1);
    return (calledService, calledMethod) => calledService === service && calledMethod.startsWith(prefix);
  }
  return (calledService, calledMethod) => calledService === service && calledMethod === method;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Parses and checks a whole policy; every problem is a ConfigError naming `variable` and where in the file it is. */
export function parseAccessPolicy(text: string, source: string, variable = "AUTHZ_POLICY"): AccessPolicy {
  const fail = (where: string, problem: string) => new ConfigError(variable, `${source}: ${where}${problem}`);
  const checkKeys = (where: string, value: Record<string, unknown>, allowed: string[]) => {
    const unknown = Object.keys(value).filter((key) => !allowed.includes(key));
    if (unknown.length > 0) throw fail(where, `unknown key "${unknown[0]}" (expected ${allowed.join(", ")})`);
  };

  let document: unknown;
  try {
    document = parse(text);
  } catch (error) {
    throw fail("", `not valid YAML or JSON: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`);
  }
  if (!isRecord(document)) throw fail("", "must be a mapping with a callers list");
  checkKeys("", document, ["callers"]);
  if (!Array.isArray(document.callers)) throw fail("", "callers must be a list of { identity, allow }");

  const allowedMethods = new Map<string, MethodMatcher[]>();
  document.callers.forEach((caller: unknown, index) => {
    const where = `callers[${index}]`;
    if (!isRecord(caller)) throw fail(`${where}: `, "must be a mapping of identity and allow");
    checkKeys(`${where}: `, caller, ["identity", "allow"]);
    const { identity, allow } = caller;
    if (typeof identity !== "string" || identity.trim() === "") {
      throw fail(`${where}.identity: `, "must be a non-empty string (a SPIFFE ID or a certificate CN)");
    }
    if (identity !== identity.trim()) throw fail(`${where}.identity: `, `"${identity}" has surrounding spaces`);
    if (allowedMethods.has(identity)) throw fail(`${where}.identity: `, `"${identity}" is listed twice`);
    if (!Array.isArray(allow)) throw fail(`${where}.allow: `, "must be a list of method patterns");
    allowedMethods.set(
      identity,
      allow.map((pattern: unknown, patternIndex) => {
        const matcher = typeof pattern === "string" ? compileMethodPattern(pattern) : undefined;
        if (matcher === undefined) {
          throw fail(
            `${where}.allow[${patternIndex}]: `,
            `${JSON.stringify(pattern)} is not a method pattern: *, package.Service/*, package.Service/Method or package.Service/Prefix*`,
          );
        }
        return matcher;
      }),
    );
  });

  return {
    authorize(identity, fullMethodPath) {
      const path = fullMethodPath.startsWith("/") ? fullMethodPath.slice(1) : fullMethodPath;
      const slash = path.lastIndexOf("/");
      const service = path.slice(0, slash);
      const method = path.slice(slash + 1);
      if (ALWAYS_OPEN_SERVICES.has(service)) return { allowed: true };
      if (identity === undefined) {
        return { allowed: false, code: "UNAUTHENTICATED", reason: "the call came without a client certificate identity" };
      }
      const matchers = allowedMethods.get(identity);
      if (matchers === undefined) {
        return { allowed: false, code: "UNAUTHENTICATED", reason: `caller "${identity}" is not in the access policy` };
      }
      if (matchers.some((matches) => matches(service, method))) return { allowed: true };
      return { allowed: false, code: "PERMISSION_DENIED", reason: `caller "${identity}" may not call ${path}` };
    },
  };
}

/** The policy in the file at AUTHZ_POLICY, read and checked at start; undefined when unset (no authorization). */
export function readAccessPolicy(env: Environment): AccessPolicy | undefined {
  const path = env.AUTHZ_POLICY;
  if (path === undefined || path === "") return undefined;
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new ConfigError("AUTHZ_POLICY", `cannot read "${path}" (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  return parseAccessPolicy(text, `"${path}"`);
}

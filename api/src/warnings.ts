/**
 * Imported first by index.ts. restify loads spdy, whose http-deceiver calls
 * `process.binding('http_parser')` at load time: Node warns DEP0111 on every start although
 * nothing here uses HTTP/2 through spdy. Only that warning is dropped; every other warning
 * (and DEP0111 about anything else) is emitted as before.
 */
const emitWarning = process.emitWarning.bind(process) as (...args: unknown[]) => void;

function warningCode(args: unknown[]): unknown {
  const [, second, third] = args;
  if (typeof second === "object" && second !== null) return (second as { code?: unknown }).code;
  return third;
}

process.emitWarning = ((...args: unknown[]) => {
  if (warningCode(args) === "DEP0111" && String(args[0]).includes("http_parser")) return;
  emitWarning(...args);
}) as typeof process.emitWarning;

// Runs the built fake (`cv-contract-kit serve`) as a child process, for tests that must kill it or start a second one.
import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";

const BIN = fileURLToPath(new URL("../../bin/cv-contract-kit.js", import.meta.url));

export interface ChildFake {
  child: ChildProcess;
  url: string;
  output: () => string;
  /** Resolves to the exit code, or the signal's name when a signal ended it. */
  kill: (signal?: NodeJS.Signals) => Promise<number | string | null>;
}

/** Starts `serve --port 0 …args` (with `env` added); resolves when it listens, rejects with its output if it exits first. */
export function spawnFake(args: string[], env: Record<string, string> = {}): Promise<ChildFake> {
  const child = spawn(process.execPath, [BIN, "serve", "--port", "0", ...args], {
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, ...env },
  });
  let output = "";
  child.stdout!.on("data", (c: Buffer) => (output += c.toString()));
  child.stderr!.on("data", (c: Buffer) => (output += c.toString()));
  const exited = new Promise<number | string | null>((resolve) => child.once("exit", (code, signal) => resolve(code ?? signal)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the fake did not start within 15 s:\n${output}`)), 15_000);
    const onData = () => {
      // Wait for the whole line: a chunk may end in the middle of the port number.
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)\n/.exec(output);
      if (!m) return;
      clearTimeout(timer);
      child.stdout!.off("data", onData);
      resolve({
        child,
        url: m[1]!,
        output: () => output,
        kill: (signal = "SIGTERM") => {
          if (child.exitCode === null && child.signalCode === null) child.kill(signal);
          return exited;
        },
      });
    };
    child.stdout!.on("data", onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(Object.assign(new Error(`the fake exited with ${code}:\n${output}`), { code, output }));
    });
  });
}

// What a CLI subcommand gets from the entry point: output streams, environment, working directory and
// an optional signal that ends long-running commands (stand-in, relay) and cancels runs.
export interface CliIO {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  env: Record<string, string | undefined>;
  cwd: string;
  signal?: AbortSignal;
}

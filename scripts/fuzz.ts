// Long fuzz runs of the language side: `npm run fuzz [-- --runs N] [--seed S] [--valid-only]`.
//
// Runs the same properties as test/core/fuzz.test.ts (lexer → parser → analyser → compiler →
// formatter, editor features at random cursors, random edit sequences) over N generated cases, by
// default 100,000. Prints progress, then one summary line:
//   fuzz: runs=100000 failures=0 seed=123 duration=412.3s
// On failure it prints the seed, the replay path and the shrunk counterexample, and exits 1.
import fc from 'fast-check';
import { mixedCaseArb, runCase, validCaseArb, type FuzzCase } from '../test/fuzz/cases.js';

interface Args {
  runs: number;
  seed: number;
  validOnly: boolean;
  path?: string;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { runs: 100_000, seed: Date.now() % 2 ** 31, validOnly: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const next = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--runs') args.runs = Number(next());
    else if (a.startsWith('--runs=')) args.runs = Number(a.slice(7));
    else if (a === '--seed') args.seed = Number(next());
    else if (a.startsWith('--seed=')) args.seed = Number(a.slice(7));
    else if (a === '--path') args.path = next();
    else if (a === '--valid-only') args.validOnly = true;
    else if (a === '--help' || a === '-h') {
      console.log('usage: npm run fuzz [-- --runs N] [--seed S] [--path P] [--valid-only]');
      process.exit(0);
    } else throw new Error(`unknown argument ${a}`);
  }
  if (!Number.isInteger(args.runs) || args.runs < 1) throw new Error('--runs must be a positive integer');
  if (!Number.isInteger(args.seed)) throw new Error('--seed must be an integer');
  return args;
}

/** First line of a failure, with offsets and quoted inputs blurred, to group repeats of one bug. */
function signature(message: string): string {
  return message.split('\n')[0]!.replace(/"(?:[^"\\]|\\.)*"(?:… \(\d+ chars\))?/g, '<text>').replace(/\d+/g, 'N').slice(0, 160);
}

function main(): number {
  let args: Args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (e) {
    console.error(`fuzz: ${(e as Error).message}`);
    return 2;
  }
  const arb = args.validOnly ? validCaseArb : mixedCaseArb;
  const started = performance.now();
  // The cases are checked in chunks with derived seeds, so one failure does not end the run: every chunk
  // that fails is shrunk and reported, and the run goes on. Failures are grouped by their first line.
  const CHUNK = Math.min(1000, args.runs);
  let done = 0;
  let failures = 0;
  const seen = new Map<string, number>();
  let lastReport = started;
  console.log(`fuzz: ${args.runs} cases, seed ${args.seed}${args.validOnly ? ', error-free documents only' : ''}`);
  for (let chunk = 0; done < args.runs; chunk++) {
    const numRuns = Math.min(CHUNK, args.runs - done);
    const seed = (args.seed + chunk * 7919) | 0;
    const details = fc.check(
      fc.property(arb, (c: FuzzCase) => {
        runCase(c);
      }),
      { seed, numRuns, ...(args.path && chunk === 0 ? { path: args.path } : {}) },
    );
    done += details.failed ? details.numRuns : numRuns;
    if (details.failed) {
      failures++;
      const err = details.errorInstance;
      const message = err instanceof Error ? err.message : String(err);
      const sig = signature(message);
      seen.set(sig, (seen.get(sig) ?? 0) + 1);
      if (seen.get(sig) === 1) {
        console.log(`FAILURE (chunk seed ${seed}, path ${details.counterexamplePath ?? ''}; replay: npm run fuzz -- --seed ${seed} --path ${details.counterexamplePath ?? ''} --runs ${numRuns})`);
        console.log('shrunk counterexample:');
        console.log(JSON.stringify(details.counterexample?.[0] ?? null, null, 2).replace(/[^\x20-\x7e\n]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
        console.log(`failure: ${message}`);
      } else {
        console.log(`FAILURE again: ${sig} (chunk seed ${seed})`);
      }
    }
    const now = performance.now();
    if (now - lastReport > 30_000 || done >= args.runs) {
      lastReport = now;
      console.log(`  ${done} / ${args.runs} (${((now - started) / 1000).toFixed(1)} s, ${failures} failures)`);
    }
  }
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(`fuzz: runs=${done} failures=${failures} distinct=${seen.size} seed=${args.seed} duration=${seconds}s`);
  return failures === 0 ? 0 : 1;
}

process.exitCode = main();

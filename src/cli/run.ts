// argv → command → exit code. Commands return their exit status; usage and
// fatal errors become one line on stderr.
import { LoadError } from '../load/load-content.ts';
import { FatalError, UsageError, type CommandIO } from './io.ts';

type Command = (args: string[], io: CommandIO) => Promise<number>;

/**
 * Each command's module is loaded when it runs: `evaluate` need not load the
 * PDF, portal and signature libraries (a few hundred modules) that `build`,
 * `pdf` and `verify` use.
 */
const commands: Record<string, { load: () => Promise<{ run: Command; usage: string }>; summary: string }> = {
  validate: { load: () => import('./commands/validate.ts').then((m) => ({ run: m.validate, usage: m.usage })), summary: 'load and check everything, evidence included' },
  evaluate: { load: () => import('./commands/evaluate.ts').then((m) => ({ run: m.evaluate, usage: m.usage })), summary: 'evaluate every requirement and print the results' },
  coverage: { load: () => import('./commands/coverage.ts').then((m) => ({ run: m.coverage, usage: m.usage })), summary: "show which projects' contracts cover a requirement" },
  build: { load: () => import('./commands/build.ts').then((m) => ({ run: m.build, usage: m.usage })), summary: 'the portal, PDF audit packets, report.json and exports' },
  pdf: { load: () => import('./commands/pdf.ts').then((m) => ({ run: m.pdf, usage: m.usage })), summary: 'PDF audit packets only' },
  verify: { load: () => import('./commands/verify.ts').then((m) => ({ run: m.verify, usage: m.usage })), summary: "check a packet's embedded evidence manifest against the content" },
  diff: { load: () => import('./commands/diff.ts').then((m) => ({ run: m.diff, usage: m.usage })), summary: 'the results whose status changed between two revisions' },
  history: { load: () => import('./commands/history.ts').then((m) => ({ run: m.history, usage: m.usage })), summary: 'score per product and framework for each commit' },
  frameworks: { load: () => import('./commands/catalog.ts').then((m) => ({ run: m.frameworks, usage: m.frameworksUsage })), summary: 'list frameworks, show one, or its crosswalk to another' },
  requirements: { load: () => import('./commands/catalog.ts').then((m) => ({ run: m.requirements, usage: m.requirementsUsage })), summary: 'list requirements or show one' },
  policies: { load: () => import('./commands/catalog.ts').then((m) => ({ run: m.policies, usage: m.policiesUsage })), summary: 'list policies or show one' },
  evidence: { load: () => import('./commands/evidence.ts').then((m) => ({ run: m.evidence, usage: m.usage })), summary: 'the evidence index' },
  init: { load: () => import('./commands/init.ts').then((m) => ({ run: m.init, usage: m.usage })), summary: 'create a new content repo with an example' },
};

export const mainUsage = `usage: evident <command> [options]

commands:
${Object.entries(commands)
  .map(([name, c]) => `  ${name.padEnd(14)}${c.summary}`)
  .join('\n')}

Every command takes --content DIR (default ./content). evident <command> --help shows its options.`;

export async function run(argv: string[], io: CommandIO): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    if (name) {
      io.stdout(mainUsage + '\n');
      return 0;
    }
    io.stderr(`evident: missing command\n${mainUsage}\n`);
    return 2;
  }
  if (name === '--version') {
    io.stdout(`${(await import('./version.ts')).version}\n`);
    return 0;
  }
  const entry = Object.hasOwn(commands, name) ? commands[name] : undefined;
  if (!entry) {
    io.stderr(`evident: unknown command "${name}"\n${mainUsage}\n`);
    return 2;
  }
  const command = await entry.load();
  if (args.includes('--help') || args.includes('-h')) {
    io.stdout(command.usage + '\n');
    return 0;
  }
  try {
    return await command.run(args, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`evident ${name}: ${error.message}\n${error.usage ?? mainUsage}\n`);
      return 2;
    }
    if (error instanceof FatalError || error instanceof LoadError) {
      io.stderr(`evident ${name}: ${error.message}\n`);
      return error.exitCode;
    }
    throw error;
  }
}

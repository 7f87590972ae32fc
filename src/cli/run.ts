// argv → command → exit code. Commands return their exit status; usage and
// fatal errors become one line on stderr.
import { LoadError } from '../load/load-content.ts';
import { FatalError, UsageError, type CommandIO } from './io.ts';
import { usage as validateUsage, validate } from './commands/validate.ts';
import { frameworks, frameworksUsage, policies, policiesUsage, requirements, requirementsUsage } from './commands/catalog.ts';
import { evidence, usage as evidenceUsage } from './commands/evidence.ts';
import { init, usage as initUsage } from './commands/init.ts';
import { evaluate, usage as evaluateUsage } from './commands/evaluate.ts';
import { coverage, usage as coverageUsage } from './commands/coverage.ts';
import { diff, usage as diffUsage } from './commands/diff.ts';
import { build, usage as buildUsage } from './commands/build.ts';
import { pdf, usage as pdfUsage } from './commands/pdf.ts';
import { verify, usage as verifyUsage } from './commands/verify.ts';
import { history, usage as historyUsage } from './commands/history.ts';

type Command = (args: string[], io: CommandIO) => Promise<number>;

const commands: Record<string, { run: Command; usage: string; summary: string }> = {
  validate: { run: validate, usage: validateUsage, summary: 'load and check everything, evidence included' },
  evaluate: { run: evaluate, usage: evaluateUsage, summary: 'evaluate every requirement and print the results' },
  coverage: { run: coverage, usage: coverageUsage, summary: "show which projects' contracts cover a requirement" },
  build: { run: build, usage: buildUsage, summary: 'the portal, PDF audit packets, report.json and exports' },
  pdf: { run: pdf, usage: pdfUsage, summary: 'PDF audit packets only' },
  verify: { run: verify, usage: verifyUsage, summary: "check a packet's embedded evidence manifest against the content" },
  diff: { run: diff, usage: diffUsage, summary: 'the results whose status changed between two revisions' },
  history: { run: history, usage: historyUsage, summary: 'score per product and framework for each commit' },
  frameworks: { run: frameworks, usage: frameworksUsage, summary: 'list frameworks, show one, or its crosswalk to another' },
  requirements: { run: requirements, usage: requirementsUsage, summary: 'list requirements or show one' },
  policies: { run: policies, usage: policiesUsage, summary: 'list policies or show one' },
  evidence: { run: evidence, usage: evidenceUsage, summary: 'the evidence index' },
  init: { run: init, usage: initUsage, summary: 'create a new content repo with an example' },
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
  const command = commands[name];
  if (!command) {
    io.stderr(`evident: unknown command "${name}"\n${mainUsage}\n`);
    return 2;
  }
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

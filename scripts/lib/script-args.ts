// Command-line options of the scripts: parsed strictly, a usage error exits 2
// with the usage, --help prints it and exits 0.
import { parseArgs, type ParseArgsConfig } from 'node:util';

export function scriptOptions<T>(options: NonNullable<ParseArgsConfig['options']>, usage: string): T & { help?: boolean } {
  let values: T & { help?: boolean };
  try {
    ({ values } = parseArgs({ options: { ...options, help: { type: 'boolean' } }, strict: true, allowPositionals: false }) as unknown as { values: T & { help?: boolean } });
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n${usage}`);
    process.exit(2);
  }
  if (values.help) {
    process.stdout.write(usage);
    process.exit(0);
  }
  return values;
}

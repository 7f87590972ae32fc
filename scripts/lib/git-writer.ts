// Writes planned commits into a new git repository with one `git fast-import`
// stream (thousands of files per commit, hundreds of commits, no index and no
// work tree on the way), then checks the last commit out. Identities and dates
// are fixed and the user's git configuration is ignored, so the same plan gives
// the same commit ids on any machine.
import { execFileSync, spawn } from 'node:child_process';
import type { PlannedCommit } from './synthetic-repo.ts';

const author = 'Acme CI <ci@acme.example>';

export function gitEnvironment(): NodeJS.ProcessEnv {
  return {
    ...process.env,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_AUTHOR_NAME: 'Acme CI',
    GIT_AUTHOR_EMAIL: 'ci@acme.example',
    GIT_COMMITTER_NAME: 'Acme CI',
    GIT_COMMITTER_EMAIL: 'ci@acme.example',
    GIT_AUTHOR_DATE: '2026-03-01T00:00:00Z',
    GIT_COMMITTER_DATE: '2026-03-01T00:00:00Z',
  };
}

export interface WriteStats {
  commits: number;
  files: number;
  bytes: number;
}

/** Creates `dir` as a repository on branch main holding `commits`, checked out. */
export async function writeRepo(dir: string, commits: PlannedCommit[], onCommit?: (index: number) => void): Promise<WriteStats> {
  const env = gitEnvironment();
  execFileSync('git', ['init', '-q', '-b', 'main', dir], { env });
  const proc = spawn('git', ['fast-import', '--quiet', '--done'], { cwd: dir, env, stdio: ['pipe', 'ignore', 'pipe'] });
  let stderr = '';
  proc.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number>((resolve, reject) => {
    proc.on('error', reject);
    proc.on('close', (code) => resolve(code ?? 1));
  });
  const write = (chunk: string | Buffer): Promise<void> | undefined => {
    if (proc.stdin.write(chunk)) return undefined;
    return new Promise((resolve) => proc.stdin.once('drain', () => resolve()));
  };
  const stats: WriteStats = { commits: 0, files: 0, bytes: 0 };
  try {
    for (const [index, commit] of commits.entries()) {
      const seconds = Math.floor(Date.parse(commit.date) / 1000);
      const message = Buffer.from(commit.message + '\n');
      await write(`commit refs/heads/main\nmark :${index + 1}\nauthor ${author} ${seconds} +0000\ncommitter ${author} ${seconds} +0000\ndata ${message.length}\n`);
      await write(message);
      if (index > 0) await write(`from :${index}\n`);
      for (const change of commit.changes()) {
        if (change.content === null) {
          await write(`D ${change.path}\n`);
          continue;
        }
        const bytes = Buffer.from(change.content, 'utf8');
        await write(`M 100644 inline ${change.path}\ndata ${bytes.length}\n`);
        await write(bytes);
        await write('\n');
        stats.files++;
        stats.bytes += bytes.length;
      }
      await write('\n');
      stats.commits++;
      onCommit?.(index);
    }
    await write('done\n');
  } finally {
    proc.stdin.end();
  }
  const code = await exited;
  if (code !== 0) throw new Error(`git fast-import failed (exit ${code}): ${stderr.trim()}`);
  execFileSync('git', ['reset', '-q', '--hard', 'main'], { cwd: dir, env });
  return stats;
}

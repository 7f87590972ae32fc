// The I/O edge: walk the content root (or a commit's tree), read every file,
// one batch pass over git, and hand plain parsed data to the model builder.
import { createHash } from 'node:crypto';
import type { Diagnostic } from '../diagnostics/diagnostic.ts';
import { readEvidence } from '../evidence/read.ts';
import type { EvidenceKind, ReadResult } from '../evidence/types.ts';
import type { CommitInfo, EvidenceItem, GitFileInfo, GitState } from '../model/types.ts';
import type { YamlDocument } from '../parse/yaml.ts';
import { GitTreeSource, WorkTreeSource, type ContentFile, type FileSource } from './files.ts';
import { blame, cleanWorkTreeBlobs, git, GitSession, openRepo, readHistory, resolveRevision, type GitRepo, type LimitedBlob } from './git.ts';
import { EvidenceCache, type CachedMeta } from './evidence-cache.ts';
import { ParsePool, poolThreshold, type ParseJob, type Parsed as PoolParsed, type PoolBatch } from './parse-pool.ts';
import { lazyPayload, payloadMemory } from './payloads.ts';
import { parsedStore } from './parsed-store.ts';
import { noteEvidenceBytes } from './heap.ts';
import { facetsOf, type Facets } from '../evidence/facets.ts';
import path from 'node:path';
import { rm, writeFile } from 'node:fs/promises';
import { chmodSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { resolveRootPath } from './files.ts';

const execFileAsync = promisify(execFile);

export interface ParsedDocument {
  file: string;
  doc: YamlDocument;
  data: unknown;
}

export interface ParsedMarkdown {
  file: string;
  frontMatter?: YamlDocument;
  body: string;
  sha256: string;
  git: GitFileInfo;
  mtime?: string;
}

export interface LoadedContent {
  documents: ParsedDocument[];
  markdown: ParsedMarkdown[];
  evidence: EvidenceItem[];
  /** Earlier git versions of current evidence paths (earlier runs of their streams). */
  evidenceHistory: EvidenceItem[];
  /** Who last changed each line of the files holding exceptions and overrides: file → line → commit. */
  blame: Map<string, Map<number, CommitInfo | null>>;
  /** Every file of the content root with its hash (attachments, keys). */
  files: Map<string, { size: number; sha256: string; text?: string }>;
  git: GitState;
  /** The commit read with --at, if any. */
  at?: CommitInfo;
  /** The commit's key (`commitKey`), for a load with `known` whose log git read. */
  key?: string;
  diagnostics: Diagnostic[];
}

export interface LoadOptions {
  /** Evaluate the content as it was at this revision (read from git objects). */
  at?: string;
  /** Kinds whose parsed JSON document is kept (for declarative policies). Default: none. */
  keepJsonFor?: Set<EvidenceKind> | 'all';
  maxFileBytes?: number;
  maxFiles?: number;
  /** Folder for the parsed-evidence cache (outside the content root); undefined disables it. */
  cacheDir?: string;
  /** Read earlier git versions of evidence files as earlier runs (default true). */
  history?: boolean;
  /** At most this many earlier versions per evidence path (default 100). */
  maxVersions?: number;
  /** Parser threads for cold loads, this one included (default: one per core; 1 parses on this thread only). */
  threads?: number;
  /** The repository holding `root`, opened once for many loads, and its shared object reader (`history`). */
  session?: GitSession;
  /** Work for this thread while git reads the history (loadModel reads its caches then). */
  meanwhile?: () => void;
  /**
   * `history`: asked with the commit's key (see `commitKey`) once git has read
   * its log; true stops the load there, because the caller holds what it
   * would evaluate to.
   */
  known?: (key: string) => boolean;
}

/** What `loadContent` returns when `options.known` recognised the commit: its key, and nothing else read. */
export interface KnownCommit {
  known: string;
}

export class LoadError extends Error {
  readonly exitCode: number;
  constructor(message: string, exitCode = 2) {
    super(message);
    this.exitCode = exitCode;
  }
}

const defaultLimits = { maxFileBytes: 50 * 1024 * 1024, maxFiles: 200_000 };
/** Earlier versions read per evidence path, unless `maxVersions` says otherwise. */
const defaultMaxVersions = 100;

export async function loadContent(root: string, options?: LoadOptions & { known?: undefined }): Promise<LoadedContent>;
export async function loadContent(root: string, options: LoadOptions): Promise<LoadedContent | KnownCommit>;
export async function loadContent(root: string, options: LoadOptions = {}): Promise<LoadedContent | KnownCommit> {
  const diagnostics: Diagnostic[] = [];
  if (!options.session && !isFolder(root)) {
    throw new LoadError(`The content root ${root} is not a folder: pass --content DIR (the default is ./content), or create one with \`evident init\`.`);
  }
  const repo = options.session?.repo ?? (await openRepo(root));
  // One object reader for the commit's tree and the earlier versions, started on first use (a warm run
  // needs none); a session handed in is shared with other loads and closed by its owner.
  const session = options.session ?? (repo ? new GitSession(repo) : undefined);
  let source: FileSource;
  let rev = 'HEAD';
  let at: CommitInfo | undefined;
  if (options.at) {
    if (!repo) throw new LoadError(`--at needs a git repository, and ${root} is not inside one.`);
    const sha = options.session?.known.has(options.at) ? options.at : await resolveRevision(repo, options.at);
    if (!sha) throw new LoadError(`--at: unknown revision "${options.at}".` + (repo.shallow ? ' This is a shallow clone; fetch more history with `git fetch --unshallow`.' : ''));
    rev = sha;
    source = new GitTreeSource(session!, sha);
  } else {
    source = new WorkTreeSource(root);
  }
  // git compares the work tree with its index while the files are listed and the resources parsed.
  const cleanBlobs = repo && source.kind === 'worktree' ? cleanWorkTreeBlobs(repo) : undefined;
  cleanBlobs?.catch(() => {}); // awaited below
  let pool: ParsePool | undefined;
  try {
    const gitState: GitState = { available: !!repo, shallow: repo?.shallow ?? false, dirty: false, commits: [] };
    const maxFiles = options.maxFiles ?? defaultLimits.maxFiles;
    const listed = await source.list({ maxFiles });
    diagnostics.push(...listed.diagnostics);

    const documents: ParsedDocument[] = [];
    const markdown: ParsedMarkdown[] = [];
    const evidence: EvidenceItem[] = [];
    const files = new Map<string, { size: number; sha256: string; text?: string }>();

    const isEvidence = (p: string) => p.startsWith('evidence/');
    noteEvidenceBytes(listed.files.reduce((sum, f) => (isEvidence(f.path) ? sum + f.size : sum), 0));
    const yamlFiles = listed.files.filter((f) => !isEvidence(f.path) && /\.ya?ml$/i.test(f.path));
    const yamlSet = new Set(yamlFiles);
    const others = listed.files.filter((f) => !yamlSet.has(f));

    // A cache folder inside the content root is never used: evident does not write there.
    const cacheRoot = options.cacheDir && cacheUsable(root, options.cacheDir) ? path.resolve(options.cacheDir) : undefined;
    const store = parsedStore(cacheRoot);

    // Resources first: the Config's limits apply to everything else.
    let maxFileBytes = options.maxFileBytes ?? defaultLimits.maxFileBytes;
    for (const file of yamlFiles) {
      const text = await readText(source, file, maxFileBytes, diagnostics, files);
      if (text === undefined) continue;
      const parsed = store.yaml(text, files.get(file.path)!.sha256, file.path);
      diagnostics.push(...parsed.diagnostics);
      for (const doc of parsed.documents) documents.push({ file: file.path, doc, data: doc.data });
    }
    const config = documents.find((d) => isObject(d.data) && d.data.kind === 'Config');
    const limits = isObject(config?.data) && isObject(config.data.spec) && isObject(config.data.spec.limits) ? config.data.spec.limits : {};
    if (options.maxFileBytes === undefined && typeof limits.maxFileBytes === 'number' && limits.maxFileBytes > 0) maxFileBytes = limits.maxFileBytes;
    const keepJsonFor = options.keepJsonFor ?? declarativePolicyKinds(documents);

    // One git pass, after the Config is known: its signers decide which signatures verify.
    let history: Awaited<ReturnType<typeof readHistory>> = { commits: [], files: new Map() };
    let gitFailed = false;
    let signerHome: string | undefined;
    const cache = cacheRoot ? new EvidenceCache(cacheRoot) : undefined;
    if (!repo) {
      diagnostics.push({ file: '.', severity: 'warning', code: 'not-a-git-repo', message: 'The content root is not inside a git work tree: commit dates, authors and signatures are unavailable.' });
    }
    const gitPass = repo
      ? (async () => {
          const signers = isObject(config?.data) && isObject(config.data.spec) && isObject(config.data.spec.signers) ? config.data.spec.signers : {};
          const setup = await configureSigners(repo, signers, listed.files, source, diagnostics, config?.file ?? 'evident.yaml');
          signerHome = setup.home;
          const verifying = { ...repo, config: setup.config, env: setup.env };
          try {
            history = options.session ? await options.session.historyAt(verifying, rev, setup.key) : await readHistory(verifying, rev);
          } catch (error) {
            gitFailed = true;
            diagnostics.push({ file: '.', severity: 'error', code: 'git-failed', message: `git log failed: ${firstLine(error)}.` });
          }
          gitState.commits = history.commits;
          gitState.head = history.head;
          at = options.at ? history.head : undefined;
          if (repo.shallow) {
            diagnostics.push({ file: '.', severity: 'warning', code: 'shallow-clone', message: 'This is a shallow clone: dates of files last changed beyond its boundary are unknown, and they count as MISSING.', hint: 'Fetch the full history: `git fetch --unshallow` (CI: actions/checkout with fetch-depth: 0).' });
          }
        })()
      : undefined;
    gitPass?.catch(() => {}); // awaited below
    // One turn of the event loop lets the pass reach git through its promise chain (no I/O before it unless
    // keys are imported); then this thread reads the caches while git works.
    await new Promise((resolve) => setImmediate(resolve));
    cache?.preload();

    // Cold loads parse on worker threads besides this one: earlier git versions (read by the workers
    // from git) while this thread reads the current files, and with more cores the current files too.
    const workers = Math.max(0, (options.threads ?? defaultThreads()) - 1);
    const poolSetup = { keepJson: keepJsonFor === 'all' ? ('all' as const) : [...keepJsonFor], maxFileBytes, ...(cacheRoot ? { cacheDir: cacheRoot } : {}), ...(repo ? { git: repo } : {}) };
    const newPool = () => {
      try {
        pool ??= new ParsePool(workers, poolSetup, cache);
      } catch {
        /* no workers here: everything is read on this thread below */
      }
      return pool;
    };
    const startPool = (jobs: ParseJob[], minWorkers: number): PoolBatch | undefined => (jobs.length < poolThreshold || workers < minWorkers ? undefined : newPool()?.start(jobs));
    // A cache that holds fewer readings than there are evidence files is (nearly) cold: a worker starts now, so
    // that loading its modules (about a quarter of a second) overlaps the git pass instead of delaying its share.
    const evidenceFiles = others.reduce((n, f) => (isEvidence(f.path) ? n + 1 : n), 0);
    if (cache && session && options.history !== false && workers >= 1 && evidenceFiles >= poolThreshold && cache.size() < evidenceFiles) newPool();
    options.meanwhile?.();
    await gitPass;
    if (signerHome) await rm(signerHome, { recursive: true, force: true });
    const key = options.known && repo && options.at && !gitFailed ? commitKey(repo, rev, history.commits, options) : undefined;
    if (key !== undefined && options.known!(key)) return { known: key };

    // Provenance of the judgement: who last changed the lines of each exception and override.
    // It runs in git processes while the evidence is read below, and is awaited at the end.
    const blameMap = new Map<string, Map<number, CommitInfo | null>>();
    const blaming = (async () => {
      if (!repo) return;
      const bySha = new Map(history.commits.map((c) => [c.sha, c]));
      const judged = [...new Set(documents.filter((d) => isObject(d.data) && d.data.kind === 'Product' && isObject(d.data.spec) && (d.data.spec.exceptions || d.data.spec.overrides)).map((d) => d.file))];
      // A few git processes at a time: at size L there are a hundred product files.
      const blamed = await mapLimited(judged, 4, async (file) => {
        try {
          // A file's blame at a commit, or in a work tree where it is as committed, is that of the commit
          // that last changed it: kept by that commit (`history` and the next run reuse it).
          const info = history.files.get(file);
          const committed = options.at ? true : await cleanBlobs?.then((c) => c.blobs.get(file) === info?.versions[0]?.blob, () => false);
          const compute = () => blame(repo, file, options.at ? rev : undefined);
          return info?.last && committed ? await store.blame(info.last.sha, file, compute) : await compute();
        } catch {
          return undefined; // an untracked file has no blame: its entries show as uncommitted
        }
      });
      judged.forEach((file, i) => {
        const lines = blamed[i];
        if (lines) blameMap.set(file, new Map([...lines].map(([line, sha]) => [line, bySha.get(sha) ?? null])));
      });
    })();

    const gitInfo = (p: string, blob: string): GitFileInfo => {
      const info = history.files.get(p);
      if (!info) return { dirty: !!repo, versions: [] };
      const dirty = source.kind === 'worktree' && info.versions[0]?.blob !== blob;
      return dirty === info.dirty ? info : { ...info, dirty }; // shared by the commits `history` loads until the file changes
    };

    const keeps = (kind: EvidenceKind) => keepJsonFor === 'all' || keepJsonFor.has(kind);
    /** A cached reading that serves: declarative policies need the JSON document, which is not cached. */
    const usable = (meta: CachedMeta | undefined): meta is CachedMeta & { sha256: string; facets: Facets } => !!meta?.sha256 && !!meta.facets && !keeps(meta.kind);
    const parse = (p: string, blob: string, bytes: Uint8Array, sha256: string): Parsed => {
      const result = readEvidence(p, bytes, { keepJson: true });
      return { result, stored: cache?.set(blob, p, result, sha256) };
    };
    /**
     * The evidence item, its payload held in memory while it fits and read
     * again from the cache after; eager when nothing could be cached.
     */
    const item = (file: ContentFile, meta: CachedMeta, size: number, sha256: string, blob: string, git: GitFileInfo, diags: Diagnostic[], parsed?: Parsed): EvidenceItem => {
      const base = toEvidenceItem(file, meta, meta.facets ?? facetsOf(parsed!.result.data), size, sha256, blob, git, repo, diags);
      if (parsed && (!cache || parsed.stored === undefined || keeps(meta.kind))) {
        return { ...base, data: parsed.result.data, ...(keeps(meta.kind) && parsed.result.json !== undefined ? { json: parsed.result.json } : {}) };
      }
      const key = cache!.key(blob, file.path);
      if (parsed) payloadMemory.put(key, parsed.result.data, parsed.stored!);
      return lazyPayload(base, key, () => cache!.payload(blob, file.path) ?? rereadPayload(root, repo, file.path, blob));
    };

    /**
     * An item read from the cache. `history` loads commit after commit through
     * one session, whose file histories are shared objects: an item whose
     * file history (and so path and blob) is an earlier commit's is that
     * commit's item (its diagnostics are reported again).
     */
    const sharing = source.kind === 'git' && !!options.session;
    const cachedItem = (file: ContentFile, meta: CachedMeta & { sha256: string }, size: number, blob: string, git: GitFileInfo, diags: Diagnostic[], historical = false): EvidenceItem => {
      const held = sharing ? itemsByHistory.get(git) : undefined;
      if (held && held.path === file.path && held.blob === blob && held.size === size && (held.historical === true) === historical) {
        diags.push(...problemDiagnostics(file.path, meta.problems));
        return held;
      }
      const made = item(file, meta, size, meta.sha256, blob, git, diags);
      if (historical) made.historical = true;
      if (sharing) itemsByHistory.set(git, made);
      return made;
    };

    // Blob ids of clean work-tree files come from git's index: a file whose reading is cached is then not read at all.
    let indexBlobs = new Map<string, string>();
    let dirtyKnown = false;
    if (cleanBlobs) {
      try {
        const clean = await cleanBlobs;
        indexBlobs = clean.blobs;
        gitState.dirty = clean.dirty;
        dirtyKnown = true;
      } catch {
        /* every file is read and hashed below */
      }
    }

    const maxVersions = options.maxVersions ?? defaultMaxVersions;
    const versionsOf = (p: string, current: string | undefined) => (history.files.get(p)?.versions ?? []).filter((v) => v.blob !== current).slice(0, maxVersions);
    const readsHistory = !!session && options.history !== false;
    // Without a cache every result comes back whole, which pays only with a core to spare for this thread.
    const versionsParsing = readsHistory
      ? startPool(
          others
            .filter((f) => isEvidence(f.path) && f.size <= maxFileBytes && !(sharing && versionsHeld.has(history.files.get(f.path)!)))
            .flatMap((f) => versionsOf(f.path, f.blob ?? indexBlobs.get(f.path)).map((v) => ({ key: `${v.blob}\0${f.path}`, path: f.path, blob: v.blob })))
            .filter((job) => !usable(cache?.meta(job.blob, job.path))),
          cache ? 1 : 2,
        )
      : undefined;

    const cachedClean = (f: ContentFile) => !!cache && indexBlobs.has(f.path) && usable(cache.meta(indexBlobs.get(f.path)!, f.path));
    const currentJobs = source.kind === 'worktree' ? others.filter((f) => isEvidence(f.path) && f.size <= maxFileBytes && !cachedClean(f)).map((f) => ({ key: f.path, path: f.path, abs: path.join(root, f.path) })) : [];
    const pooled = (await startPool(currentJobs, 2)?.results) ?? new Map<string, PoolParsed>();

    for (const file of others) {
      const pre = pooled.get(file.path);
      const preMeta = pre?.stored ? cache?.meta(pre.blob, file.path) : undefined;
      if (pre && (pre.result || usable(preMeta))) {
        const git = gitInfo(file.path, pre.blob);
        const made = pre.result ? item(file, pre.result, pre.size, pre.sha256, pre.blob, git, diagnostics, { result: pre.result, stored: cache?.set(pre.blob, file.path, pre.result, pre.sha256) }) : item(file, preMeta!, pre.size, pre.sha256, pre.blob, git, diagnostics);
        evidence.push(made);
        files.set(file.path, { size: pre.size, sha256: pre.sha256 });
        continue;
      }
      if (file.size > maxFileBytes) {
        diagnostics.push({ file: file.path, severity: 'error', code: 'file-too-large', message: `The file is ${file.size} bytes, over the limit of ${maxFileBytes}; it is not read.` });
        continue;
      }
      const knownBlob = file.blob ?? indexBlobs.get(file.path);
      if (knownBlob && cache && isEvidence(file.path)) {
        const meta = cache.meta(knownBlob, file.path);
        if (usable(meta)) {
          evidence.push(cachedItem(file, meta, file.size, knownBlob, gitInfo(file.path, knownBlob), diagnostics));
          files.set(file.path, { size: file.size, sha256: meta.sha256 });
          continue;
        }
      }
      let bytes: Buffer;
      try {
        bytes = await source.read(file);
      } catch (error) {
        diagnostics.push({ file: file.path, severity: 'error', code: 'file-unreadable', message: `The file cannot be read: ${firstLine(error)}.` });
        continue;
      }
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      const blob = knownBlob ?? gitBlobId(bytes);
      if (isEvidence(file.path)) {
        const git = gitInfo(file.path, blob);
        const meta = knownBlob ? undefined : cache?.meta(blob, file.path);
        evidence.push(usable(meta) ? item(file, meta, bytes.length, sha256, blob, git, diagnostics) : ((parsed) => item(file, parsed.result, bytes.length, sha256, blob, git, diagnostics, parsed))(parse(file.path, blob, bytes, sha256)));
        files.set(file.path, { size: bytes.length, sha256 });
        continue;
      }
      if (/\.md$/i.test(file.path)) {
        const text = decodeUtf8(bytes);
        if (text === undefined) {
          diagnostics.push({ file: file.path, severity: 'error', code: 'file-not-utf8', message: 'The file is not valid UTF-8; it is not read.' });
          continue;
        }
        files.set(file.path, { size: bytes.length, sha256 });
        const fm = store.frontMatter(text, sha256, file.path);
        const data = fm.frontMatter?.data;
        if (fm.diagnostics.length || (isObject(data) && ('requirement' in data || 'proof' in data))) {
          diagnostics.push(...fm.diagnostics);
          if (!fm.frontMatter && fm.diagnostics.length) continue;
          markdown.push({ file: file.path, frontMatter: fm.frontMatter, body: fm.body, sha256, git: gitInfo(file.path, blob), ...(file.mtime ? { mtime: file.mtime.toISOString() } : {}) });
        }
        continue;
      }
      // Other files: attachments, keys, trusted roots. Keep small text files for policy parameters.
      files.set(file.path, { size: bytes.length, sha256, ...(bytes.length <= 1 << 20 ? { text: decodeUtf8(bytes) } : {}) });
    }

    if (repo && source.kind === 'worktree' && !dirtyKnown) {
      gitState.dirty = await isDirty(repo);
    }

    // Earlier git versions of each evidence path are earlier runs of its stream.
    let evidenceHistory: EvidenceItem[] = [];
    if (session && readsHistory) {
      // What the workers parsed is in the cache now (or came back whole); the rest is read here.
      // The reader starts on the first cache miss. A version over the size limit is not read: its size comes back alone.
      const blobs = { read: (blob: string) => session.reader.readWithin(blob, maxFileBytes) };
      const stolen = new Map<string, PoolParsed>(); // readings that cannot be cached, held for the loop below
      if (versionsParsing) {
        // This thread, done with the current files, parses the versions no worker has started, from the end
        // (one over the size limit is left to the loop below, which reports it).
        const ahead: { job: ParseJob; bytes: Promise<Buffer | undefined> }[] = [];
        const refill = () => {
          if (ahead.length > 4) return; // requests go to git in batches (see `ask` in git.ts)
          for (let job; ahead.length < 8 && (job = versionsParsing.steal()); ) ahead.push({ job, bytes: blobs.read(job.blob!).then((b) => b?.bytes, () => undefined) });
        };
        for (refill(); ahead.length > 0; refill()) {
          const { job, bytes: read } = ahead.shift()!;
          const bytes = await read;
          if (!bytes) continue;
          const result = readEvidence(job.path, bytes, { keepJson: true });
          const sha256 = createHash('sha256').update(bytes).digest('hex');
          const stored = keeps(result.kind) ? undefined : cache?.set(job.blob!, job.path, result, sha256);
          // Cached now, and held while memory allows: the loop below finds it like any cached reading.
          if (stored !== undefined) payloadMemory.put(cache!.key(job.blob!, job.path), result.data, stored);
          else stolen.set(job.key, { size: bytes.length, sha256, blob: job.blob!, result });
        }
      }
      const fromPool = new Map([...((await versionsParsing?.results) ?? []), ...stolen]);
      // `history`: a file unchanged since the commit loaded before has the same earlier versions, as the same items.
      const perItem: EvidenceItem[][] = evidence.map(() => []);
      const versions = evidence.flatMap((item, at) => {
        const held = sharing ? versionsHeld.get(item.git) : undefined;
        if (held && held.blob === item.blob && held.kind === item.kind && held.max === maxVersions) {
          perItem[at] = held.items;
          return [];
        }
        return versionsOf(item.path, item.blob).map((version) => ({ item, version, at }));
      });
      const metas = versions.map(({ item, version }) => cache?.meta(version.blob, item.path));
      const missing = versions.map((_, i) => !usable(metas[i]));
      // The rest is read from git with a window of requests in flight, so that git and parsing overlap.
      const window = 16;
      const reads = new Map<number, Promise<LimitedBlob | undefined>>();
      let next = 0;
      for (let i = 0; i < versions.length; i++) {
        for (; next < versions.length && next <= i + window; next++) {
          const v = versions[next]!;
          if (missing[next] && !fromPool.get(`${v.version.blob}\0${v.item.path}`)?.result) reads.set(next, blobs.read(v.version.blob).catch(() => undefined));
        }
        const { item: current, version, at } = versions[i]!;
        const git = versionInfo(version, current.git.added);
        const quiet: Diagnostic[] = []; // problems of old versions were reported when they were current
        const file = { path: current.path, size: 0 };
        const meta = metas[i];
        let made: EvidenceItem | undefined;
        if (usable(meta)) {
          if (meta.kind === current.kind) made = cachedItem(file, meta, 0, version.blob, git, quiet, true);
        } else {
          const pre = fromPool.get(`${version.blob}\0${current.path}`);
          const read = pre?.result ? undefined : await reads.get(i);
          reads.delete(i);
          const bytes = read?.bytes;
          if (read && !bytes) {
            diagnostics.push({ file: current.path, severity: 'warning', code: 'file-too-large', message: `An earlier version of this file (blob ${version.blob.slice(0, 12)}, ${read.size} bytes) is over the limit of ${maxFileBytes}; it is not read, so that run is missing from the file's history.` });
          }
          if (pre?.result) {
            const stored = cache?.set(version.blob, current.path, pre.result, pre.sha256);
            if (pre.result.kind === current.kind) made = item({ path: current.path, size: pre.size }, pre.result, pre.size, pre.sha256, version.blob, git, quiet, { result: pre.result, stored });
          } else if (bytes) {
            const sha256 = createHash('sha256').update(bytes).digest('hex');
            const parsed = parse(current.path, version.blob, bytes, sha256);
            if (parsed.result.kind === current.kind) made = item({ path: current.path, size: bytes.length }, parsed.result, bytes.length, sha256, version.blob, git, quiet, parsed);
          }
        }
        if (made) {
          if (!made.historical) made.historical = true; // a shared item has it, and is frozen
          perItem[at].push(made);
        }
      }
      if (sharing) for (const { item, at } of versions) versionsHeld.set(item.git, { blob: item.blob, kind: item.kind, max: maxVersions, items: perItem[at] });
      evidenceHistory = perItem.flat();
    }
    await pool?.close(); // the workers' packs are indexed before this run's own, which may merge them
    cache?.flush();
    await blaming;
    store.flush();
    return { documents, markdown, evidence, evidenceHistory, blame: blameMap, files, git: gitState, ...(at ? { at } : {}), ...(key !== undefined ? { key } : {}), diagnostics };
  } finally {
    pool?.abandon(); // when the load failed before the workers were closed
    source.close();
    if (session !== options.session) session?.close();
  }
}

/**
 * Everything a commit's model depends on besides the code: the commit (its id
 * names its tree and every commit before it), where the content root sits in
 * the repository, how deep the clone is, the options that change what is
 * read, and the commits as git read them with this commit's signers. The last
 * is what can differ between machines and over time for the same commit: a
 * signature checks out or not with the tools, the keys and the clock of the
 * run (an expired key).
 */
export function commitKey(repo: GitRepo, sha: string, commits: readonly CommitInfo[], options: LoadOptions): string {
  const read = [options.history ?? true, options.maxVersions ?? defaultMaxVersions, options.maxFiles ?? null, options.maxFileBytes ?? null, options.keepJsonFor === undefined ? null : options.keepJsonFor === 'all' ? 'all' : [...options.keepJsonFor].sort()];
  return createHash('sha256')
    .update(JSON.stringify([sha, repo.prefix, repo.shallow, [...repo.shallowBoundary].sort(), read, commits]))
    .digest('hex');
}

/**
 * Signature verification that works the same on any clone: the SSH
 * allowed-signers file and the armored GPG keys named by Config.spec.signers,
 * read from the content root (or the commit's tree), never the user's own
 * keyrings.
 */
async function configureSigners(
  repo: GitRepo,
  signers: Record<string, any>,
  files: ContentFile[],
  source: FileSource,
  diagnostics: Diagnostic[],
  configFile: string,
): Promise<{ config: string[]; env: NodeJS.ProcessEnv; home?: string; key?: string }> {
  const config: string[] = [];
  // What the verification depends on: the same signer files (by blob id) verify commits the same way.
  const used: ContentFile[] = [];
  const env: NodeJS.ProcessEnv = { ...repo.env };
  // Synchronous: without signer files, git starts before the caller's first await (see the git pass).
  const home = mkdtempSync(path.join(tmpdir(), 'evident-signers-'));
  chmodSync(home, 0o700);
  env.GNUPGHOME = home; // an empty keyring unless keys are given: the user's own keys never count
  const emptySigners = path.join(home, 'no_allowed_signers');
  writeFileSync(emptySigners, '');
  config.push(`gpg.ssh.allowedSignersFile=${emptySigners}`);
  if (typeof signers.allowedSigners === 'string') {
    const rel = resolveRootPath(signers.allowedSigners);
    const file = files.find((f) => f.path === rel);
    if (!file) {
      diagnostics.push({ file: configFile, severity: 'error', code: 'unresolved-reference', message: `signers.allowedSigners "${signers.allowedSigners}" does not exist in the content root.` });
    } else {
      used.push(file);
      const target = path.join(home, 'allowed_signers');
      await writeFile(target, await source.read(file));
      config[0] = `gpg.ssh.allowedSignersFile=${target}`;
    }
  }
  if (typeof signers.keyring === 'string') {
    const prefix = (resolveRootPath(signers.keyring) ?? '').replace(/\/*$/, '');
    const keys = files.filter((f) => (f.path === prefix || f.path.startsWith(prefix + '/')) && /\.(asc|gpg|pub|key)$/i.test(f.path));
    if (!keys.length) diagnostics.push({ file: configFile, severity: 'warning', code: 'unresolved-reference', message: `signers.keyring "${signers.keyring}" holds no .asc/.gpg/.pub/.key files.` });
    used.push(...keys);
    for (const key of keys) {
      const target = path.join(home, `import-${path.basename(key.path)}`);
      await writeFile(target, await source.read(key));
      try {
        await execFileAsync('gpg', ['--batch', '--quiet', '--import', target], { env });
      } catch (error) {
        diagnostics.push({ file: key.path, severity: 'error', code: 'public-key-unreadable', message: `gpg could not import the key: ${firstLine(error)}.` });
      }
    }
  }
  const key = used.every((f) => f.blob) ? JSON.stringify([signers.allowedSigners, signers.keyring, used.map((f) => [f.path, f.blob])]) : undefined;
  return { config, env, home, ...(key !== undefined ? { key } : {}) };
}

/** `fn` over `items` with at most `limit` calls running at once; results in the items' order. */
async function mapLimited<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/** An earlier version's git information, one object per version of a (shared) file history. */
function versionInfo(version: GitFileInfo['versions'][number], added: CommitInfo | undefined): GitFileInfo {
  let info = versionInfos.get(version);
  if (!info || info.added !== added) {
    info = { last: version.commit, ...(added ? { added } : {}), dirty: false, versions: [] };
    versionInfos.set(version, info);
  }
  return info;
}
const versionInfos = new WeakMap<object, GitFileInfo>();

/** The earlier-version items of a file, by its file history (shared across the commits `history` loads). */
const versionsHeld = new WeakMap<GitFileInfo, { blob: string | undefined; kind: string; max: number; items: EvidenceItem[] }>();

/** A reading, and the size of its payload in the cache (undefined when it could not be cached). */
interface Parsed {
  result: ReadResult;
  stored?: number;
}

/**
 * A payload that left memory and the cache (the cache folder was cleaned
 * meanwhile): read the same bytes again, from git objects or the file, and
 * only if they are still the same blob.
 */
function rereadPayload(root: string, repo: GitRepo | undefined, file: string, blob: string): { data: ReadResult['data']; bytes: number } {
  let bytes: Buffer | undefined;
  if (repo) {
    try {
      bytes = execFileSync('git', ['cat-file', 'blob', blob], { cwd: repo.top, env: repo.env, maxBuffer: 1 << 30, stdio: ['ignore', 'pipe', 'ignore'] });
    } catch {
      /* not an object: an uncommitted file */
    }
  }
  bytes ??= readFileSync(path.join(root, file));
  if (gitBlobId(bytes) !== blob) throw new Error(`${file} changed while evident was reading it; run again.`);
  return { data: readEvidence(file, bytes, { keepJson: true }).data, bytes: bytes.length };
}

async function isDirty(repo: GitRepo): Promise<boolean> {
  try {
    const out = await git(repo, ['status', '--porcelain', '--untracked-files=all', '--', repo.prefix ? repo.prefix : '.']);
    return out.trim().length > 0;
  } catch {
    return false;
  }
}

function problemDiagnostics(file: string, problems: CachedMeta['problems']): Diagnostic[] {
  return problems.map((p) => ({ file, ...(p.line ? { line: p.line, column: p.column ?? 1 } : {}), severity: p.severity, code: p.code, message: p.message, ...(p.hint ? { hint: p.hint } : {}) }));
}

/** Evidence items `history` shares between the commits it loads, by their (shared) file history; they live as long as it does. */
const itemsByHistory = new WeakMap<GitFileInfo, EvidenceItem>();

function toEvidenceItem(file: ContentFile, result: CachedMeta, facets: Facets, size: number, sha256: string, blob: string, git: GitFileInfo, repo: GitRepo | undefined, diagnostics: Diagnostic[]): Omit<EvidenceItem, 'data'> {
  const broken = result.problems.some((p) => p.severity === 'error');
  diagnostics.push(...problemDiagnostics(file.path, result.problems));
  const rel = file.path.split('/');
  const stream = rel.slice(0, -1).join('/');
  const project = rel[1] === '_shared' ? null : (rel[1] ?? null);
  let timestamp: string | undefined = result.timestamp;
  let timestampSource: EvidenceItem['timestampSource'] = 'content';
  if (!timestamp) {
    const last = git.dirty ? undefined : git.last;
    if (last && repo?.shallowBoundary.has(last.sha)) {
      timestampSource = 'unknown';
    } else if (last) {
      timestamp = last.date;
      timestampSource = 'commit';
    } else if (file.mtime) {
      timestamp = file.mtime.toISOString();
      timestampSource = 'mtime';
      diagnostics.push({ file: file.path, severity: 'warning', code: 'evidence-timestamp-from-mtime', message: 'The evidence has no timestamp of its own and is not committed; its modification time is used.' });
    } else {
      timestampSource = 'unknown';
    }
  }
  return {
    path: file.path,
    project,
    stream,
    kind: result.kind,
    ...(result.format ? { format: result.format } : {}),
    size,
    sha256,
    blob,
    git,
    ...(timestamp ? { timestamp } : {}),
    timestampSource,
    facets,
    broken,
  };
}

async function readText(source: FileSource, file: ContentFile, maxFileBytes: number, diagnostics: Diagnostic[], files: LoadedContent['files']): Promise<string | undefined> {
  if (file.size > maxFileBytes) {
    diagnostics.push({ file: file.path, severity: 'error', code: 'file-too-large', message: `The file is ${file.size} bytes, over the limit of ${maxFileBytes}; it is not read.` });
    return undefined;
  }
  let bytes: Buffer;
  try {
    bytes = await source.read(file);
  } catch (error) {
    diagnostics.push({ file: file.path, severity: 'error', code: 'file-unreadable', message: `The file cannot be read: ${firstLine(error)}.` });
    return undefined;
  }
  files.set(file.path, { size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') });
  if (bytes.length === 0 || bytes.toString('utf8').trim() === '') {
    diagnostics.push({ file: file.path, severity: 'warning', code: 'file-empty', message: 'The file is empty; it holds no resources.' });
    return undefined;
  }
  const text = decodeUtf8(bytes);
  if (text === undefined) {
    diagnostics.push({ file: file.path, severity: 'error', code: 'file-not-utf8', message: 'The file is not valid UTF-8; it is not read.' });
  }
  return text;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

export function decodeUtf8(bytes: Uint8Array): string | undefined {
  try {
    return utf8.decode(bytes).replace(/^\uFEFF/, '');
  } catch {
    return undefined;
  }
}

/** git's object id of a blob: sha1("blob <size>\0" + bytes). */
export function gitBlobId(bytes: Uint8Array): string {
  return createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
}

function declarativePolicyKinds(documents: ParsedDocument[]): Set<EvidenceKind> {
  const kinds = new Set<EvidenceKind>();
  for (const d of documents) {
    if (isObject(d.data) && d.data.kind === 'Policy' && isObject(d.data.spec) && Array.isArray(d.data.spec.kinds)) {
      for (const k of d.data.spec.kinds) if (typeof k === 'string') kinds.add(k as EvidenceKind);
    }
  }
  return kinds;
}

export function isObject(value: unknown): value is Record<string, any> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Parser threads by default, this one included: one per core. On two cores
 * that is one worker, which parses the earlier git versions while this thread
 * parses the current files; measured at size M, a pool that took every file
 * while this thread waited was slower there (docs/performance.md).
 */
function defaultThreads(): number {
  return Math.min(availableParallelism(), 9);
}

/** A cache folder inside the content root is never used: evident does not write there. */
export function cacheUsable(root: string, cacheDir: string): boolean {
  return !isInside(path.resolve(cacheDir), path.resolve(root));
}

function isInside(child: string, parent: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

function isFolder(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function firstLine(error: unknown): string {
  return String((error as Error)?.message ?? error).split('\n')[0].replace(/\.$/, '');
}

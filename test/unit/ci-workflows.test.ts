/**
 * The CI workflows and the tested n8n versions, checked where GitHub Actions cannot run: every command a job runs
 * exists, the jobs run where .ci/run works (Debian as root), together they run what `npm run test:all` runs, the
 * workflow validator of `npm run lint:workflows` accepts both files and rejects a broken one, and the README's
 * support table names exactly the versions of test/n8n-versions.json, the one file every script reads.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parse } from 'yaml';

const ROOT = path.resolve(__dirname, '..', '..');
const WORKFLOWS_DIR = path.join(ROOT, '.github', 'workflows');
const VALIDATOR = path.join(ROOT, 'node_modules', '.bin', 'action-validator');
const CACHE_DIR = '/tmp/n8n-face-to-sticker-cache';

const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
const scripts = pkg.scripts;
const TESTED = JSON.parse(fs.readFileSync(path.join(ROOT, 'test', 'n8n-versions.json'), 'utf8')) as Record<string, string>;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const versions = require('../e2e/versions') as {
	versionOf(major: number, env?: Record<string, string | undefined>): string;
	majorsToTest(env?: Record<string, string | undefined>): number[];
	ignoredSuites(dir: string, env?: Record<string, string | undefined>): string[];
};

interface Step {
	uses?: string;
	run?: string;
	with?: Record<string, string>;
}
interface Job {
	'runs-on'?: string;
	container?: string | { image: string };
	steps: Step[];
}
interface Workflow {
	jobs: Record<string, Job>;
}

const workflowFiles = fs.readdirSync(WORKFLOWS_DIR).filter((f) => /\.ya?ml$/.test(f));
const workflows: Record<string, Workflow> = Object.fromEntries(
	workflowFiles.map((f) => [f, parse(fs.readFileSync(path.join(WORKFLOWS_DIR, f), 'utf8')) as Workflow]),
);
const ci = workflows['ci.yml'];

/** The npm commands of a shell line: `npm ci`, `npm test`, `npm run X` ... as [command, script?]. */
function npmCommands(line: string): Array<{ command: string; script?: string }> {
	const found: Array<{ command: string; script?: string }> = [];
	for (const part of line.split(/&&|\|\||;|\n|\|/)) {
		const words = part.trim().split(/\s+/);
		const at = words.indexOf('npm');
		if (at < 0) continue;
		const args = words.slice(at + 1).filter((w) => !w.startsWith('-'));
		const [command, name] = args;
		if (command === 'run' || command === 'run-script') found.push({ command: 'run', script: name });
		else if (command === 'test' || command === 't') found.push({ command: 'run', script: 'test' });
		else found.push({ command });
	}
	return found;
}

/** Every script a script runs, itself included, following `npm run X` through package.json. */
function expand(script: string, seen = new Set<string>()): Set<string> {
	if (seen.has(script)) return seen;
	seen.add(script);
	for (const c of npmCommands(scripts[script] ?? '')) if (c.script) expand(c.script, seen);
	return seen;
}

const runSteps = (job: Job) => job.steps.filter((s) => typeof s.run === 'string').map((s) => s.run as string);
/** The npm scripts a CI job calls (not counting `npm ci`). */
const jobScripts = (job: Job) => runSteps(job).flatMap((r) => npmCommands(r).filter((c) => c.script).map((c) => c.script as string));

/** The test files the jest command of a script would run (`jest ... --listTests`), with no N8N_VERSION set. */
function listTests(script: string): string[] {
	const jest = script.slice(script.indexOf('jest -c'));
	const env: NodeJS.ProcessEnv = { ...process.env, PATH: `${path.join(ROOT, 'node_modules', '.bin')}${path.delimiter}${process.env.PATH}` };
	delete env.N8N_VERSION;
	const result = spawnSync('sh', ['-c', `${jest} --listTests`], { cwd: ROOT, env, encoding: 'utf8' });
	expect([jest, result.status]).toEqual([jest, 0]);
	return result.stdout.split('\n').filter((l) => l.endsWith('.test.js'));
}

function validate(file: string) {
	const result = spawnSync(process.execPath, [VALIDATOR, file], { encoding: 'utf8' });
	return { code: result.status, output: `${result.stdout}${result.stderr}` };
}

describe('the GitHub workflows', () => {
	test('both workflows are there and parse as YAML with jobs', () => {
		expect(workflowFiles.sort()).toEqual(['ci.yml', 'publish.yml']);
		for (const workflow of Object.values(workflows)) expect(Object.keys(workflow.jobs).length).toBeGreaterThan(0);
	});

	test('every npm command of every run step, and of the scripts they run, names something package.json has', () => {
		const allowed = new Set(['ci', 'publish', 'run']);
		const missing: string[] = [];
		let count = 0;
		for (const [file, workflow] of Object.entries(workflows)) {
			for (const [name, job] of Object.entries(workflow.jobs)) {
				for (const line of runSteps(job)) {
					for (const c of npmCommands(line)) {
						count++;
						if (!allowed.has(c.command)) missing.push(`${file} ${name}: npm ${c.command}`);
						if (c.script === undefined) continue;
						for (const s of expand(c.script)) if (!(s in scripts)) missing.push(`${file} ${name}: npm run ${s}`);
					}
				}
			}
		}
		expect(missing).toEqual([]);
		expect(count).toBeGreaterThan(8);
		expect(fs.existsSync(path.join(ROOT, 'package-lock.json'))).toBe(true); // npm ci needs it
	});

	test('every CI job runs as root in a Debian Node container, checks out, installs with npm ci and calls one npm script', () => {
		for (const [name, job] of Object.entries(ci.jobs)) {
			const image = typeof job.container === 'string' ? job.container : job.container?.image;
			expect([name, image]).toEqual([name, expect.stringMatching(/^node:\d+-(bookworm|trixie)$/)]);
			expect([name, job.steps[0].uses]).toEqual([name, expect.stringMatching(/^actions\/checkout@/)]);
			const commands = runSteps(job).flatMap(npmCommands);
			expect([name, commands[0]]).toEqual([name, { command: 'ci' }]);
			expect([name, jobScripts(job).length]).toEqual([name, 1]);
		}
	});

	test('the CI jobs together run what `npm run test:all` runs, each suite in a job of its own', () => {
		const called = Object.values(ci.jobs).flatMap(jobScripts);
		expect(new Set(called).size).toBe(called.length);
		for (const script of ['test', 'test:image', 'test:ui', 'test:e2e:n8n2', 'test:e2e:n8n1', 'test:e2e:queue']) expect(called).toContain(script);
		// test:all (scripts/test-all.sh) is npm test, the image tests, one build for the e2e suites, the e2e suites
		// (real pace beside the rest) and the browser tests; its two e2e scripts together list every e2e suite once.
		expect(scripts['test:all']).toBe('bash scripts/test-all.sh');
		const testAll = fs.readFileSync(path.join(ROOT, 'scripts', 'test-all.sh'), 'utf8').split('\n').filter((line) => !line.trim().startsWith('#') && !/^\s*step /.test(line));
		expect(testAll.flatMap(npmCommands).map((c) => c.script)).toEqual(['test', 'test:image', 'build', 'test:e2e:pace', 'test:e2e:rest', 'test:ui']);
		const halves = ['test:e2e:pace', 'test:e2e:rest'].flatMap((script) => listTests(scripts[script]).map((f) => path.basename(f)));
		expect([...halves].sort()).toEqual(listTests(scripts['test:e2e']).map((f) => path.basename(f)).sort());
		// Every e2e suite file is run by exactly one CI job (as jest lists them), and test:e2e runs them all.
		const suites = fs.readdirSync(path.join(ROOT, 'test', 'e2e')).filter((f) => f.endsWith('.e2e.test.js'));
		const runBy = new Map<string, string[]>(suites.map((f) => [f, []]));
		for (const script of called.filter((s) => scripts[s].includes('jest.e2e.config.js'))) {
			for (const file of listTests(scripts[script])) runBy.get(path.basename(file))?.push(script);
		}
		expect(Object.fromEntries([...runBy].map(([f, by]) => [f, by.length]))).toEqual(Object.fromEntries(suites.map((f) => [f, 1])));
		expect(listTests(scripts['test:e2e']).map((f) => path.basename(f)).sort()).toEqual([...suites].sort());
		expect(scripts['test:e2e']).toMatch(/jest -c jest\.e2e\.config\.js$/);
	});

	test('jobs that install n8n restore the cache of each major they use, keyed on the versions file', () => {
		// The majors a script installs: `install-n8n.sh 2`, `... 1`, or `... all` (both).
		const needs = (script: string) => {
			const which = /install-n8n\.sh (\w+)/.exec(scripts[script])?.[1];
			return which === undefined ? [] : which === 'all' ? ['2', '1'] : [which];
		};
		expect(needs('test:ui')).toEqual(['2', '1']);
		for (const [name, job] of Object.entries(ci.jobs)) {
			const script = jobScripts(job)[0];
			const caches = job.steps.filter((s) => s.uses?.startsWith('actions/cache@'));
			const majors = caches.map((c) => /^n8n(\d)-/.exec(c.with?.key ?? '')?.[1]);
			expect([name, majors]).toEqual([name, needs(script)]);
			for (const c of caches) {
				expect(c.with?.key).toContain("hashFiles('test/n8n-versions.json'");
				for (const p of String(c.with?.path).trim().split('\n')) expect(p.trim().startsWith(`${CACHE_DIR}/`)).toBe(true);
			}
		}
		// The paths of one major's cache are the same in every job (the cache version is derived from them).
		const pathsByKey = new Map<string, Set<string>>();
		for (const job of Object.values(ci.jobs)) {
			for (const c of job.steps.filter((s) => s.uses?.startsWith('actions/cache@'))) {
				const key = String(c.with?.key);
				pathsByKey.set(key, (pathsByKey.get(key) ?? new Set()).add(String(c.with?.path).trim()));
			}
		}
		for (const paths of pathsByKey.values()) expect(paths.size).toBe(1);
	});
});

describe('the workflow validator (npm run lint:workflows, part of npm test)', () => {
	let tmp: string;
	beforeAll(() => {
		tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ci-workflows-'));
	});
	afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

	test('is part of npm test and validates every workflow file', () => {
		expect(expand('test').has('lint:workflows')).toBe(true);
		const named = [...scripts['lint:workflows'].matchAll(/action-validator (\S+)/g)].map((m) => path.basename(m[1]));
		expect(named.sort()).toEqual(workflowFiles.sort());
	});

	test.each(workflowFiles)('accepts %s', (file) => {
		const { code, output } = validate(path.join(WORKFLOWS_DIR, file));
		expect([code, output]).toEqual([0, '']);
	});

	test.each([
		['an unknown key in a job', (s: string) => s.replace('    container: node:20-bookworm\n', '    containr: node:20-bookworm\n')],
		['a job without runs-on', (s: string) => s.replace(/^ {4}runs-on: ubuntu-latest\n/m, '')],
		['a step with neither run nor uses', (s: string) => s.replace('      - run: npm test\n', '      - name: npm test\n')],
		['an unknown trigger', (s: string) => s.replace('  pull_request:\n', '  pull_requests:\n')],
	])('rejects a copy of ci.yml with %s', (_label, breakIt) => {
		const source = fs.readFileSync(path.join(WORKFLOWS_DIR, 'ci.yml'), 'utf8');
		const broken = breakIt(source);
		expect(broken).not.toBe(source);
		const file = path.join(tmp, 'ci.yml');
		fs.writeFileSync(file, broken);
		const { code, output } = validate(file);
		expect(code).not.toBe(0);
		expect(output).toMatch(/"errors"/);
	});
});

describe('the tested n8n versions (test/n8n-versions.json)', () => {
	test('hold one exact version per major, 2.x and 1.x', () => {
		expect(Object.keys(TESTED).sort()).toEqual(['1', '2']);
		for (const [major, version] of Object.entries(TESTED)) expect(version).toMatch(new RegExp(`^${major}\\.\\d+\\.\\d+$`));
	});

	test("the README's support table names exactly these versions", () => {
		const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
		const section = readme.split('### Supported n8n versions')[1].split(/\n#/)[0];
		const rows = section.split('\n').filter((l) => /^\| \d+\.x \|/.test(l));
		const named = Object.fromEntries(rows.map((row) => [row.match(/^\| (\d+)\.x/)?.[1], [...row.matchAll(/\*\*(\d+\.\d+\.\d+)\*\*/g)].map((m) => m[1])]));
		expect(named).toEqual(Object.fromEntries(Object.entries(TESTED).map(([major, version]) => [major, [version]])));
	});

	test('no script or test harness names an n8n version of its own', () => {
		const files = [
			...['test/e2e', 'test/ui', 'scripts'].flatMap((dir) => fs.readdirSync(path.join(ROOT, dir)).filter((f) => /\.(js|mjs|sh)$/.test(f)).map((f) => `${dir}/${f}`)),
			'jest.e2e.config.js',
			'jest.ui.config.js',
		];
		const offenders = files.filter((f) => /\b[12]\.\d{2,3}\.\d+\b/.test(fs.readFileSync(path.join(ROOT, f), 'utf8')));
		expect(offenders).toEqual([]);
	});

	test('N8N_VERSION picks the version of its major and only that major\'s suites; N8N2_VERSION / N8N1_VERSION replace one', () => {
		expect([versions.versionOf(2, {}), versions.versionOf(1, {})]).toEqual([TESTED[2], TESTED[1]]);
		expect(versions.majorsToTest({})).toEqual([2, 1]);
		expect(versions.ignoredSuites('test/e2e', {})).toEqual([]);

		const e2eSuites = fs.readdirSync(path.join(ROOT, 'test', 'e2e')).filter((f) => f.endsWith('.test.js'));
		const pattern = (dir: string, f: string) => `<rootDir>/${dir}/${f.replace(/\./g, '\\.')}`;
		const other1 = { N8N_VERSION: '1.122.4' };
		expect([versions.versionOf(2, other1), versions.versionOf(1, other1), versions.majorsToTest(other1)]).toEqual([TESTED[2], '1.122.4', [1]]);
		expect(versions.ignoredSuites('test/e2e', other1).sort()).toEqual(e2eSuites.filter((f) => f !== 'n8n1.e2e.test.js').map((f) => pattern('test/e2e', f)).sort());
		const other2 = { N8N_VERSION: '2.99.0' };
		expect([versions.versionOf(2, other2), versions.majorsToTest(other2)]).toEqual(['2.99.0', [2]]);
		expect(versions.ignoredSuites('test/e2e', other2)).toEqual([pattern('test/e2e', 'n8n1.e2e.test.js')]);
		expect(versions.ignoredSuites('test/ui', other2)).toEqual([pattern('test/ui', 'n8n1.ui.test.js')]);

		const own = { N8N2_VERSION: '2.40.7' };
		expect([versions.versionOf(2, own), versions.versionOf(1, own), versions.majorsToTest(own)]).toEqual(['2.40.7', TESTED[1], [2, 1]]);

		expect(() => versions.versionOf(2, { N8N_VERSION: '3.0.0' })).toThrow('the tests know n8n 2.x and 1.x only');
		expect(() => versions.versionOf(2, { N8N_VERSION: '2.41' })).toThrow('give an exact n8n version');
		expect(() => versions.versionOf(2, { N8N2_VERSION: '1.123.81' })).toThrow('is not an n8n 2.x');
	});
});

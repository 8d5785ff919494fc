'use strict';
// Runs a real n8n (installed by test/e2e/install-n8n.sh into a cache outside the repository) with this package
// installed as a community package, exactly as n8n's installer lays it out, and executes workflows from the
// command line. See ../shared/n8n-harness.md for the recipe this follows.

const { execFileSync, spawn } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const ROOT = path.resolve(__dirname, '..', '..');
const CACHE = process.env.N8N_CACHE_DIR || path.join(os.tmpdir(), 'n8n-face-to-sticker-cache');
const PACKAGE_NAME = require(path.join(ROOT, 'package.json')).name;

const { versionOf } = require('./versions');

/** Per major: the version to run (test/n8n-versions.json, or N8N_VERSION / N8N<major>_VERSION), its Node. */
const VERSIONS = {
	2: {
		version: versionOf(2),
		node: path.join(CACHE, 'node24', 'bin', 'node'),
		nodeLabel: 'Node 24',
		env: {},
	},
	1: {
		version: versionOf(1),
		node: process.execPath.includes('node24') ? 'node' : process.execPath,
		nodeLabel: 'Node 20',
		// isolated-vm has no Node 20 build in n8n 1.x: its legacy expression engine works everywhere.
		env: { N8N_EXPRESSION_ENGINE: 'legacy' },
	},
};
for (const config of Object.values(VERSIONS)) config.label = `n8n ${config.version} (${config.nodeLabel})`;

function n8nBin(major) {
	return path.join(CACHE, `n8n-${VERSIONS[major].version}`, 'node_modules', 'n8n', 'bin', 'n8n');
}

function isInstalled(major) {
	return fs.existsSync(path.join(CACHE, `n8n-${VERSIONS[major].version}`, '.installed'));
}

function ensureInstalled(major) {
	if (isInstalled(major)) return;
	execFileSync('bash', [path.join(__dirname, 'install-n8n.sh'), String(major)], { stdio: 'inherit' });
}

let packedTarball;
/** Builds and packs the package once per process: `files` decides what reaches n8n, as on npm. */
function packPackage() {
	if (packedTarball) return packedTarball;
	const out = fs.mkdtempSync(path.join(os.tmpdir(), 'face-to-sticker-pack-'));
	if (!process.env.E2E_SKIP_BUILD) execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'ignore' });
	const name = execFileSync('npm', ['pack', '--silent', '--pack-destination', out], { cwd: ROOT, encoding: 'utf8' })
		.trim()
		.split('\n')
		.pop();
	packedTarball = path.join(out, name);
	return packedTarball;
}

/** The owner account every test server is set up with (a test password, not a secret). */
const OWNER = { email: 'owner@example.com', password: 'E2e-password-1234' };

let portSeed = 20000 + Math.floor(Math.random() * 20000);

/** One n8n user folder with the package installed; import credentials and workflows, then execute them. */
class N8nInstance {
	constructor(major, { name = 'run' } = {}) {
		ensureInstalled(major);
		this.major = major;
		this.config = VERSIONS[major];
		this.folder = fs.mkdtempSync(path.join(os.tmpdir(), `n8n${major}-${name}-`));
		this.logFile = path.join(this.folder, 'n8n.log');
		const target = path.join(this.folder, '.n8n', 'nodes', 'node_modules', PACKAGE_NAME);
		fs.mkdirSync(target, { recursive: true });
		execFileSync('tar', ['-xzf', packPackage(), '-C', target, '--strip-components=1']);
		fs.writeFileSync(
			path.join(this.folder, '.n8n', 'nodes', 'package.json'),
			JSON.stringify({ name: 'installed-nodes', private: true, dependencies: { [PACKAGE_NAME]: '*' } }),
		);
	}

	env(extra = {}) {
		return {
			PATH: process.env.PATH,
			HOME: this.folder,
			N8N_USER_FOLDER: this.folder,
			N8N_ENCRYPTION_KEY: 'e2e-encryption-key-not-secret',
			N8N_DIAGNOSTICS_ENABLED: 'false',
			N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
			N8N_TEMPLATES_ENABLED: 'false',
			N8N_PERSONALIZATION_ENABLED: 'false',
			N8N_LICENSE_AUTO_RENEW_ENABLED: 'false',
			N8N_AI_ENABLED: 'false',
			N8N_LOG_LEVEL: 'info',
			N8N_LOG_OUTPUT: 'file',
			N8N_LOG_FILE_LOCATION: this.logFile,
			N8N_RUNNERS_BROKER_PORT: String(portSeed++),
			N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
			N8N_SECURE_COOKIE: 'false',
			DB_SQLITE_POOL_SIZE: '2',
			...this.config.env,
			...extra,
		};
	}

	run(args, extraEnv = {}, { allowFailure = false, timeoutMs = 240_000 } = {}) {
		return new Promise((resolve, reject) => {
			const child = spawn(this.config.node, [n8nBin(this.major), ...args], {
				env: this.env(extraEnv),
				cwd: this.folder,
			});
			let stdout = '';
			let stderr = '';
			child.stdout.on('data', (d) => (stdout += d));
			child.stderr.on('data', (d) => (stderr += d));
			const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
			child.on('close', (code) => {
				clearTimeout(timer);
				if (code !== 0 && !allowFailure) {
					reject(new Error(`n8n ${args.join(' ')} exited ${code}\n${stdout.slice(-3000)}\n${stderr.slice(-3000)}`));
				} else {
					resolve({ code, stdout, stderr });
				}
			});
		});
	}

	async importCredentials(credentials, extraEnv = {}) {
		const file = path.join(this.folder, `credentials-${Date.now()}.json`);
		fs.writeFileSync(file, JSON.stringify(credentials));
		await this.run(['import:credentials', `--input=${file}`], extraEnv);
	}

	async importWorkflows(workflows, extraEnv = {}) {
		const dir = fs.mkdtempSync(path.join(this.folder, 'workflows-'));
		for (const workflow of workflows) fs.writeFileSync(path.join(dir, `${workflow.id}.json`), JSON.stringify(workflow));
		await this.run(['import:workflow', '--separate', `--input=${dir}`], extraEnv);
	}

	n8nBin() {
		return n8nBin(this.major);
	}

	/** Executes an imported workflow; resolves with its exit code, run data and the log text. */
	async execute(workflowId, extraEnv = {}, { timeoutMs } = {}) {
		const logFile = path.join(this.folder, `execute-${workflowId}-${Date.now()}.log`);
		const result = await this.run(['execute', `--id=${workflowId}`, '--rawOutput'], { ...extraEnv, N8N_LOG_FILE_LOCATION: logFile }, { allowFailure: true, timeoutMs });
		const log = fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8') : '';
		const runData = extractRunData(`${result.stdout}\n${log}`);
		return { ...result, log, runData };
	}
}

/** `n8n start` on a free port, owner set up and logged in, for what only the server does (credential tests). */
class N8nServer {
	/** `env`: more environment for the server (queue mode's database and Redis, for instance). */
	constructor(instance, { env = {} } = {}) {
		this.instance = instance;
		this.extraEnv = env;
		this.port = portSeed++;
		this.cookie = '';
		this.browserId = 'e2e-browser';
	}

	async start() {
		try {
			return await this.startServer();
		} catch (error) {
			await this.stop();
			throw error;
		}
	}

	async startServer() {
		const env = this.instance.env({
			N8N_PORT: String(this.port),
			N8N_LISTEN_ADDRESS: '127.0.0.1',
			N8N_LOG_FILE_LOCATION: path.join(this.instance.folder, 'server.log'),
			...this.extraEnv,
		});
		this.child = spawn(this.instance.config.node, [n8nBin(this.instance.major), 'start'], { env, cwd: this.instance.folder, stdio: 'ignore' });
		const deadline = Date.now() + 120_000;
		for (;;) {
			try {
				const answer = await fetch(`http://127.0.0.1:${this.port}/healthz`);
				if (answer.ok) break;
			} catch {
				/* not up yet */
			}
			if (Date.now() > deadline) throw new Error('n8n did not start within 120 s');
			await new Promise((resolve) => setTimeout(resolve, 500));
		}
		// /healthz answers before the REST routes exist: retry until the owner route is there.
		let owner;
		for (;;) {
			owner = await this.rest('POST', '/rest/owner/setup', { ...OWNER, firstName: 'E2E', lastName: 'Owner' }).catch((error) => ({ status: 599, body: String(error) }));
			// 404 before the REST routes exist, 5xx or the HTML "n8n is starting up" page (status 200) while n8n is
			// still starting: all mean "ask again".
			const starting = owner.status === 404 || owner.status >= 500 || typeof owner.body !== 'object';
			if (!starting || Date.now() > deadline) break;
			await new Promise((resolve) => setTimeout(resolve, 500));
		}
		if (owner.status >= 300 || typeof owner.body !== 'object') throw new Error(`owner setup failed: ${owner.status} ${JSON.stringify(owner.body)}`);
		return this;
	}

	async rest(method, urlPath, body) {
		const answer = await fetch(`http://127.0.0.1:${this.port}${urlPath}`, {
			method,
			headers: { 'content-type': 'application/json', 'browser-id': this.browserId, cookie: this.cookie },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const setCookie = answer.headers.get('set-cookie');
		if (setCookie) this.cookie = setCookie.split(';')[0];
		const text = await answer.text();
		let parsed;
		try {
			parsed = JSON.parse(text);
		} catch {
			parsed = text;
		}
		return { status: answer.status, body: parsed };
	}

	/**
	 * Activates a workflow whose Webhook listens on `path`, and waits until the webhook answers: registration
	 * lags the activation (through Redis in queue mode). The probe's text body has no photo, so the workflow fails
	 * before any call to Segmind.
	 */
	async activateWebhook(workflowId, path) {
		const stored = await this.rest('GET', `/rest/workflows/${workflowId}`);
		const answer = await this.rest('POST', `/rest/workflows/${workflowId}/activate`, { versionId: (stored.body.data ?? stored.body).versionId });
		if (answer.status !== 200) throw new Error(`activating ${workflowId}: ${answer.status} ${JSON.stringify(answer.body).slice(0, 300)}`);
		for (let i = 0; i < 120; i++) {
			const probe = await fetch(`http://127.0.0.1:${this.port}/webhook/${path}`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'ping' });
			await probe.arrayBuffer();
			if (probe.status !== 404) return;
			await new Promise((resolve) => setTimeout(resolve, 500));
		}
		throw new Error(`the webhook ${path} was never registered`);
	}

	async stop() {
		await stopProcess(this.child);
	}
}

/** Finds the execution's run data JSON among the lines n8n printed or logged. */
function extractRunData(text) {
	const candidates = [];
	for (const line of text.split('\n')) {
		const trimmed = line.trim();
		if (!trimmed.startsWith('{')) continue;
		let value;
		try {
			value = JSON.parse(trimmed);
		} catch {
			continue;
		}
		candidates.push(value);
		if (typeof value.message === 'string' && value.message.trim().startsWith('{')) {
			try {
				candidates.push(JSON.parse(value.message));
			} catch {
				/* not run data */
			}
		}
	}
	const start = text.indexOf('{\n');
	if (start >= 0) {
		try {
			candidates.push(JSON.parse(text.slice(start, text.lastIndexOf('}') + 1)));
		} catch {
			/* not one JSON document */
		}
	}
	return candidates.reverse().find((c) => c && c.data && c.data.resultData) || candidates.reverse().find((c) => c && c.resultData);
}

/** SIGTERM, then SIGKILL after 10 s; returns at once for a process that has already exited (or was killed). */
async function stopProcess(child) {
	if (!child || child.exitCode !== null || child.signalCode !== null) return;
	const exited = new Promise((resolve) => child.once('exit', resolve));
	child.kill('SIGTERM');
	const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
	await exited;
	clearTimeout(timer);
}

function nextPort() {
	return portSeed++;
}

module.exports = { OWNER, nextPort, stopProcess, N8nInstance, N8nServer, VERSIONS, CACHE, ROOT, PACKAGE_NAME, packPackage, isInstalled, ensureInstalled, extractRunData };

'use strict';
// n8n's queue mode on this machine: PostgreSQL and Redis from Debian's packages, installed with apt-get when
// missing and started here on free loopback ports (nothing is assumed to run), then one `n8n start` (main) and
// `n8n worker` processes, each with its own user folder holding the package, sharing the database, Redis and
// the encryption key. Binary data in database mode, as n8n 2.x queue mode wants.

const { execFileSync, spawn } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const { N8nInstance, N8nServer, nextPort, stopProcess } = require('./n8n-harness');

function run(command, args, options = {}) {
	return execFileSync(command, args, { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', ...options });
}

function postgresBin() {
	const root = '/usr/lib/postgresql';
	const versions = fs.existsSync(root) ? fs.readdirSync(root).filter((v) => fs.existsSync(path.join(root, v, 'bin', 'initdb'))) : [];
	return versions.length ? path.join(root, versions.sort((a, b) => Number(b) - Number(a))[0], 'bin') : undefined;
}

/** Installs PostgreSQL and Redis from Debian's packages when they are not there (CI runs as root). */
function ensurePackages() {
	const haveRedis = fs.existsSync('/usr/bin/redis-server');
	if (postgresBin() && haveRedis) return;
	process.stderr.write('[queue-mode] installing postgresql and redis-server with apt-get\n');
	const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
	run('apt-get', ['update', '-qq'], { env, timeout: 300_000 });
	run('apt-get', ['install', '-y', '-qq', 'postgresql', 'redis-server'], { env, timeout: 600_000 });
	if (!postgresBin() || !fs.existsSync('/usr/bin/redis-server')) throw new Error('postgresql or redis-server did not install');
}

/** A PostgreSQL cluster and a Redis server of our own, in a temporary folder, on 127.0.0.1. */
class QueueServices {
	async start() {
		ensurePackages();
		this.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-queue-services-'));
		fs.chmodSync(this.dir, 0o755);
		// PostgreSQL refuses to run as root: its data folder belongs to the postgres user.
		this.pgData = path.join(this.dir, 'pg');
		fs.mkdirSync(this.pgData);
		run('chown', ['postgres:postgres', this.pgData]);
		this.pgPort = nextPort();
		const bin = postgresBin();
		const asPostgres = (command, args) => run('runuser', ['-u', 'postgres', '--', path.join(bin, command), ...args], { cwd: '/tmp' });
		asPostgres('initdb', ['-D', this.pgData, '-A', 'trust', '-U', 'postgres', '--no-sync']);
		this.stopPostgres = () => asPostgres('pg_ctl', ['-D', this.pgData, '-m', 'immediate', 'stop']);
		asPostgres('pg_ctl', ['-D', this.pgData, '-w', '-l', path.join(this.pgData, 'server.log'), '-o', `-p ${this.pgPort} -c listen_addresses=127.0.0.1 -k ${this.pgData} -c fsync=off`, 'start']);
		run(path.join(bin, 'psql'), ['-h', '127.0.0.1', '-p', String(this.pgPort), '-U', 'postgres', '-c', 'CREATE DATABASE n8n']);

		this.redisPort = nextPort();
		this.redis = spawn('/usr/bin/redis-server', ['--port', String(this.redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
		const deadline = Date.now() + 20_000;
		for (;;) {
			try {
				if (run('redis-cli', ['-p', String(this.redisPort), 'ping']).trim() === 'PONG') break;
			} catch {
				/* not up yet */
			}
			if (Date.now() > deadline) throw new Error('redis-server did not start');
			await new Promise((resolve) => setTimeout(resolve, 200));
		}
		return this;
	}

	/** What every n8n process of the cluster needs to find the database and the queue. */
	get env() {
		return {
			EXECUTIONS_MODE: 'queue',
			QUEUE_BULL_REDIS_HOST: '127.0.0.1',
			QUEUE_BULL_REDIS_PORT: String(this.redisPort),
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: '127.0.0.1',
			DB_POSTGRESDB_PORT: String(this.pgPort),
			DB_POSTGRESDB_DATABASE: 'n8n',
			DB_POSTGRESDB_USER: 'postgres',
			DB_POSTGRESDB_PASSWORD: '',
			N8N_DEFAULT_BINARY_DATA_MODE: 'database',
			OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS: 'true',
		};
	}

	async stop() {
		if (this.redis && this.redis.exitCode === null) this.redis.kill('SIGKILL');
		try {
			if (this.stopPostgres) this.stopPostgres();
		} catch {
			/* already stopped */
		}
	}
}

/** One `n8n worker` process with its own user folder (the package installed in its ~/.n8n/nodes). */
class N8nWorker {
	constructor(major, env, name) {
		this.instance = new N8nInstance(major, { name });
		this.env = env;
		this.logFile = path.join(this.instance.folder, 'worker.log');
		this.healthPort = nextPort();
	}

	async start() {
		const env = this.instance.env({ ...this.env, N8N_LOG_FILE_LOCATION: this.logFile, QUEUE_HEALTH_CHECK_ACTIVE: 'true', QUEUE_HEALTH_CHECK_PORT: String(this.healthPort) });
		this.child = spawn(this.instance.config.node, [this.instance.n8nBin(), 'worker', '--concurrency=20'], { env, cwd: this.instance.folder, stdio: 'ignore' });
		const deadline = Date.now() + 120_000;
		for (;;) {
			try {
				const answer = await fetch(`http://127.0.0.1:${this.healthPort}/healthz`);
				if (answer.ok) return this;
			} catch {
				/* not up yet */
			}
			if (this.child.exitCode !== null) throw new Error(`n8n worker exited ${this.child.exitCode}: ${this.log().slice(-2000)}`);
			if (Date.now() > deadline) throw new Error('n8n worker did not start within 120 s');
			await new Promise((resolve) => setTimeout(resolve, 500));
		}
	}

	log() {
		return fs.existsSync(this.logFile) ? fs.readFileSync(this.logFile, 'utf8') : '';
	}

	/** The execution IDs this worker has started, from its own log. */
	startedExecutions() {
		return [...this.log().matchAll(/Worker started execution (\d+)/g)].map((m) => m[1]);
	}

	kill(signal = 'SIGTERM') {
		if (this.child && this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
	}

	async stop() {
		await stopProcess(this.child);
	}
}

/** Main (`n8n start`, serving webhooks and the REST API) and `workers` n8n workers over one database and Redis. */
class N8nQueueCluster {
	constructor(major, services, workers = 2) {
		this.services = services;
		this.env = services.env;
		this.main = new N8nInstance(major, { name: 'queue-main' });
		this.workers = Array.from({ length: workers }, (_, i) => new N8nWorker(major, this.env, `queue-worker${i + 1}`));
	}

	async importCredentials(credentials) {
		await this.main.importCredentials(credentials, this.env);
	}

	async importWorkflows(workflows) {
		await this.main.importWorkflows(workflows, this.env);
	}

	async start() {
		this.server = new N8nServer(this.main, { env: this.env });
		await this.server.start();
		await Promise.all(this.workers.map((worker) => worker.start()));
		return this;
	}

	async stop() {
		await Promise.all(this.workers.map((worker) => worker.stop()));
		if (this.server) await this.server.stop();
	}
}

module.exports = { QueueServices, N8nQueueCluster };

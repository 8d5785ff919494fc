#!/usr/bin/env node
// `npm run scan`: n8n's own verification scan (@n8n/scan-community-package), offline. It lints the two things n8n's
// scanner lints, with its exported analyzePackage and the same file patterns:
//   1. the source: package.json plus {nodes,credentials}/**/*.{js,ts,json};
//   2. the packed tarball, as npm would publish it: **/*.js plus package.json.
// The scanner's third step, npm provenance, can only be checked on a published version (see the publish workflow).
// A canary proves the scan is live: the packed code with a setTimeout added must fail it.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { analyzePackage, SOURCE_FILE_PATTERNS } from '@n8n/scan-community-package/scanner/scanner.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const TARBALL_PATTERNS = ['**/*.js', 'package.json'];

function packAndExtract() {
	execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'ignore' });
	const out = fs.mkdtempSync(path.join(os.tmpdir(), 'face-to-sticker-scan-'));
	const name = execFileSync('npm', ['pack', '--silent', '--pack-destination', out], { cwd: ROOT, encoding: 'utf8' }).trim().split('\n').pop();
	const dir = path.join(out, 'package');
	fs.mkdirSync(dir);
	execFileSync('tar', ['-xzf', path.join(out, name), '-C', dir, '--strip-components=1']);
	return { out, dir };
}

function report(label, result) {
	console.log(`${result.passed ? 'pass' : 'FAIL'}  ${label}${result.message ? `: ${result.message}` : ''}`);
	if (result.details) console.log(result.details);
}

const { out, dir } = packAndExtract();
try {
	const source = await analyzePackage(ROOT, SOURCE_FILE_PATTERNS);
	report(`source (${SOURCE_FILE_PATTERNS.join(', ')})`, source);
	const tarball = await analyzePackage(dir, TARBALL_PATTERNS);
	report(`packed tarball (${TARBALL_PATTERNS.join(', ')})`, tarball);

	const node = path.join(dir, 'dist', 'nodes', 'FaceToSticker', 'FaceToSticker.node.js');
	fs.appendFileSync(node, '\nsetTimeout(() => undefined, 1);\n');
	const canary = await analyzePackage(dir, TARBALL_PATTERNS);
	if (process.env.SCAN_VERBOSE) console.log(canary.details);
	const canaryCaught = !canary.passed && /no-restricted-globals|setTimeout/.test(canary.details ?? '');
	console.log(`${canaryCaught ? 'pass' : 'FAIL'}  canary: the tarball with a setTimeout added ${canaryCaught ? 'fails the scan, as it must' : 'was NOT caught: the scan is not live'}`);

	process.exitCode = source.passed && tarball.passed && canaryCaught ? 0 : 1;
} finally {
	fs.rmSync(out, { recursive: true, force: true });
}

'use strict';
// The n8n versions the tests run against. test/n8n-versions.json holds them, one exact version per major; every
// script reads them through this module (install-n8n.sh with `node -p`), so no other file names a version.
//   N8N_VERSION=<x.y.z>   try another version: only that major's suites run, against <x.y.z>
//   N8N2_VERSION / N8N1_VERSION   replace one major's version, every suite still runs

const fs = require('fs');
const path = require('path');

const TESTED = require('../n8n-versions.json');

/** The n8n major a suite file runs on: n8n<major>.*.test.js on that major, every other suite (queue mode, the
 * soaks) on the newest major of the file. */
function majorOfSuite(file) {
	const match = /^n8n(\d+)\./.exec(path.basename(file));
	return match ? Number(match[1]) : Math.max(...Object.keys(TESTED).map(Number));
}

function majorOf(version, from) {
	const match = /^(\d+)\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/.exec(String(version).trim());
	if (!match) throw new Error(`${from}=${version}: give an exact n8n version such as ${TESTED[2]}`);
	const major = Number(match[1]);
	if (!TESTED[major]) throw new Error(`${from}=${version}: the tests know n8n ${Object.keys(TESTED).sort().reverse().map((m) => `${m}.x`).join(' and ')} only`);
	return major;
}

/** N8N_VERSION, checked: `{ major, version }`, or undefined when it is not set. */
function requested(env = process.env) {
	if (!env.N8N_VERSION) return undefined;
	return { major: majorOf(env.N8N_VERSION, 'N8N_VERSION'), version: env.N8N_VERSION.trim() };
}

/** The version of `major` to run: N8N<major>_VERSION, else N8N_VERSION when it is of that major, else the file's. */
function versionOf(major, env = process.env) {
	major = Number(major);
	if (!TESTED[major]) throw new Error(`n8n ${major}.x is not in test/n8n-versions.json`);
	const own = env[`N8N${major}_VERSION`];
	if (own) {
		if (majorOf(own, `N8N${major}_VERSION`) !== major) throw new Error(`N8N${major}_VERSION=${own} is not an n8n ${major}.x`);
		return own.trim();
	}
	const asked = requested(env);
	return asked && asked.major === major ? asked.version : TESTED[major];
}

/** The majors to test: N8N_VERSION's alone when it is set, else all of the file's, newest first. */
function majorsToTest(env = process.env) {
	const asked = requested(env);
	return asked ? [asked.major] : Object.keys(TESTED).map(Number).sort((a, b) => b - a);
}

/** jest `testPathIgnorePatterns` that leave out the suites (files of `dir`, from the repository root) of the majors
 * not being tested. */
function ignoredSuites(dir, env = process.env) {
	const majors = majorsToTest(env);
	const suites = fs.readdirSync(path.join(__dirname, '..', '..', dir)).filter((f) => /\.test\.js$/.test(f));
	return suites.filter((f) => !majors.includes(majorOfSuite(f))).map((f) => `<rootDir>/${dir}/${f.replace(/\./g, '\\.')}`);
}

module.exports = { TESTED, majorOfSuite, versionOf, majorsToTest, ignoredSuites, requested };

// For shell scripts: `node test/e2e/versions.js version 2` prints 2.x's version, `... majors` the majors to test.
if (require.main === module) {
	const [what, major] = process.argv.slice(2);
	try {
		if (what === 'version') console.log(versionOf(major));
		else if (what === 'majors') console.log(majorsToTest().join(' '));
		else throw new Error('usage: node test/e2e/versions.js version <major> | majors');
	} catch (error) {
		console.error(error.message);
		process.exit(1);
	}
}

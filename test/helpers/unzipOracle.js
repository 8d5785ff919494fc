'use strict';
// Debian's Info-ZIP `unzip` as an oracle for the ZIP files this project writes (the WhatsApp .wastickers):
// installed with apt-get when missing, as oracles.js installs the image tools.
const { execFileSync } = require('child_process');
const fs = require('fs');

const UNZIP = '/usr/bin/unzip';

function ensureUnzip() {
	if (fs.existsSync(UNZIP)) return UNZIP;
	if (process.getuid?.() !== 0) throw new Error('unzip is missing: run apt-get install -y unzip');
	const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
	execFileSync('apt-get', ['update', '-q'], { stdio: 'inherit', env });
	execFileSync('apt-get', ['install', '-y', '-q', 'unzip'], { stdio: 'inherit', env });
	if (!fs.existsSync(UNZIP)) throw new Error('unzip is still missing after apt-get install unzip');
	return UNZIP;
}

/**
 * Unpacks `archive` into `folder` with unzip after `unzip -t` has checked every entry's CRC-32; returns the
 * entry names as unzip lists them (`-Z1`), in archive order. Throws with unzip's own words on a bad archive.
 */
function unzipInto(archive, folder) {
	const unzip = ensureUnzip();
	const test = execFileSync(unzip, ['-t', archive], { encoding: 'utf8' });
	if (!/No errors detected/.test(test)) throw new Error(`unzip -t found problems:\n${test}`);
	execFileSync(unzip, ['-o', '-q', archive, '-d', folder]);
	return execFileSync(unzip, ['-Z1', archive], { encoding: 'utf8' }).split('\n').filter(Boolean);
}

module.exports = { ensureUnzip, unzipInto, UNZIP };

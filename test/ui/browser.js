'use strict';
// Chromium for the browser tests: Debian's `chromium` package, driven by playwright-core. Never a browser download:
// when the package is missing and we are root (CI on a fresh machine), it is installed with apt-get.

const { execFileSync } = require('child_process');
const fs = require('fs');
const { chromium, selectors } = require('playwright-core');

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

/** Colour emoji for the pack's Expressions in the README's screenshots (Debian's chromium brings no emoji font). */
const EMOJI_FONT = '/usr/share/fonts/truetype/noto/NotoColorEmoji.ttf';

function ensureChromium() {
	if (!fs.existsSync(EMOJI_FONT) && typeof process.getuid === 'function' && process.getuid() === 0) {
		console.log('[ui] installing Debian fonts-noto-color-emoji with apt-get');
		execFileSync('bash', ['-c', 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-noto-color-emoji >/dev/null'], { stdio: 'inherit' });
	}
	if (fs.existsSync(CHROMIUM)) return CHROMIUM;
	if (typeof process.getuid !== 'function' || process.getuid() !== 0) {
		throw new Error(`${CHROMIUM} is missing: install Debian's chromium package (sudo apt-get install -y chromium), or set CHROMIUM_PATH`);
	}
	console.log('[ui] installing Debian chromium with apt-get');
	execFileSync('bash', ['-c', 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null'], { stdio: 'inherit' });
	if (!fs.existsSync(CHROMIUM)) throw new Error(`apt-get install chromium did not provide ${CHROMIUM}`);
	return CHROMIUM;
}

let testIdSet = false;
/** Launches headless Chromium; n8n marks its elements with data-test-id, so getByTestId reads that. */
async function launchChromium() {
	if (!testIdSet) {
		selectors.setTestIdAttribute('data-test-id');
		testIdSet = true;
	}
	return chromium.launch({ executablePath: ensureChromium(), headless: true, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
}

module.exports = { launchChromium, ensureChromium };

// Image oracles this project did not write: Debian's webp tools (cwebp, dwebp, webpinfo), ImageMagick 6
// (/usr/bin/convert), Pillow for Debian's own Python (/usr/bin/python3), libjpeg-turbo's djpeg/cjpeg/jpegtran,
// exiftool and scikit-image's sample photographs. Installed with apt-get when missing, as the queue-mode tests install PostgreSQL and Redis.
const { execFileSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const TOOLS = {
	cwebp: '/usr/bin/cwebp',
	dwebp: '/usr/bin/dwebp',
	webpinfo: '/usr/bin/webpinfo',
	convert: '/usr/bin/convert',
	python: '/usr/bin/python3',
	djpeg: '/usr/bin/djpeg',
	cjpeg: '/usr/bin/cjpeg',
	jpegtran: '/usr/bin/jpegtran',
	exiftool: '/usr/bin/exiftool',
};

/** scikit-image's sample photographs (astronaut, chelsea, coffee, ...), from Debian's python3-skimage. */
const SKIMAGE_DATA = '/usr/lib/python3/dist-packages/skimage/data';

function hasPillow() {
	try {
		execFileSync(TOOLS.python, ['-c', 'import PIL'], { stdio: 'ignore' });
		return true;
	} catch {
		return false;
	}
}

function missing() {
	const gone = [];
	if (!fs.existsSync(TOOLS.cwebp) || !fs.existsSync(TOOLS.dwebp) || !fs.existsSync(TOOLS.webpinfo)) gone.push('webp');
	// /usr/local/bin/convert may be a stand-in; Debian's real one is /etc/alternatives -> convert-im6.q16.
	if (!fs.existsSync('/usr/bin/convert-im6.q16')) gone.push('imagemagick');
	if (!fs.existsSync(TOOLS.python) || !hasPillow()) gone.push('python3-pil');
	if (!fs.existsSync(TOOLS.djpeg) || !fs.existsSync(TOOLS.cjpeg) || !fs.existsSync(TOOLS.jpegtran)) gone.push('libjpeg-turbo-progs');
	if (!fs.existsSync(TOOLS.exiftool)) gone.push('libimage-exiftool-perl');
	if (!fs.existsSync(`${SKIMAGE_DATA}/coffee.png`)) gone.push('python3-skimage');
	return gone;
}

/** Makes sure every oracle is installed; returns the tool paths. Throws with what to run when it cannot. */
function ensureOracles() {
	let gone = missing();
	if (gone.length > 0) {
		if (process.getuid?.() !== 0) {
			throw new Error(`Image oracles missing: run apt-get install -y ${gone.join(' ')}`);
		}
		const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
		execFileSync('apt-get', ['update', '-q'], { stdio: 'inherit', env });
		execFileSync('apt-get', ['install', '-y', '-q', ...gone], { stdio: 'inherit', env });
		gone = missing();
		if (gone.length > 0) throw new Error(`Image oracles still missing after apt-get: ${gone.join(' ')}`);
	}
	return { ...TOOLS, convert: '/usr/bin/convert-im6.q16' };
}

/** Reads a PAM (P7) file as dwebp writes it: { width, height, data } with 8-bit RGBA. */
function parsePam(pam) {
	const end = pam.indexOf('ENDHDR\n');
	if (end < 0) throw new Error('not a PAM file');
	const header = pam.subarray(0, end).toString('latin1');
	const field = (name) => Number(new RegExp(`^${name} (\\d+)$`, 'm').exec(header)?.[1]);
	const width = field('WIDTH');
	const height = field('HEIGHT');
	if (field('DEPTH') !== 4 || field('MAXVAL') !== 255) throw new Error(`unexpected PAM header: ${header}`);
	const data = pam.subarray(end + 7, end + 7 + width * height * 4);
	return { width, height, data: new Uint8Array(data.buffer, data.byteOffset, data.length) };
}

/**
 * Decodes a WebP with Debian's dwebp or a PNG with ImageMagick (both oracles this project did not write):
 * { format, width, height, data } with 8-bit straight RGBA.
 */
function decodeWithOracle(bytes) {
	const tools = ensureOracles();
	const file = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
	if (file.subarray(0, 4).toString('latin1') === 'RIFF' && file.subarray(8, 12).toString('latin1') === 'WEBP') {
		const pam = execFileSync(tools.dwebp, ['-pam', '-o', '-', '--', '-'], { input: file, maxBuffer: 1 << 28, stdio: ['pipe', 'pipe', 'ignore'] });
		return { format: 'webp', ...parsePam(pam) };
	}
	if (file.subarray(1, 4).toString('latin1') !== 'PNG') throw new Error('neither a WebP nor a PNG');
	const size = execFileSync(tools.convert, ['png:-', '-format', '%w %h', 'info:'], { input: file }).toString().trim().split(' ').map(Number);
	const data = execFileSync(tools.convert, ['png:-', '-depth', '8', 'rgba:-'], { input: file, maxBuffer: 1 << 28 });
	return { format: 'png', width: size[0], height: size[1], data: new Uint8Array(data.buffer, data.byteOffset, data.length) };
}

/**
 * Has Pillow read a PNG or WebP file (after Image.verify(), which also checks the chunk CRCs and order, when
 * `verify` is set): its pixels as 8-bit straight RGBA.
 */
function pillowRgba(file, { verify = false } = {}) {
	const script = [
		'import sys',
		'from PIL import Image',
		...(verify ? ['Image.open(sys.argv[1]).verify()'] : []),
		'im = Image.open(sys.argv[1])',
		'sys.stdout.buffer.write(im.convert("RGBA").tobytes())',
	].join('\n');
	const rgba = execFileSync(ensureOracles().python, ['-c', script, file], { maxBuffer: 1 << 28 });
	return new Uint8Array(rgba.buffer, rgba.byteOffset, rgba.length);
}

/**
 * A temp folder for the test file that calls this: made before its tests, removed after them. Returns a
 * function giving the path of a file in it.
 */
function tempFolder(prefix) {
	let dir = '';
	beforeAll(() => {
		dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
	});
	afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
	return (name) => path.join(dir, name);
}

/** Reads a binary PPM (P6) or PGM (P5) with maxval 255: { width, height, channels, data }. */
function parsePnm(pnm) {
	const match = /^P([56])\s+(?:#[^\n]*\s+)*(\d+)\s+(\d+)\s+255\s/.exec(pnm.toString('latin1', 0, 200));
	if (!match) throw new Error('not an 8-bit PPM/PGM file');
	const width = Number(match[2]);
	const height = Number(match[3]);
	const channels = match[1] === '6' ? 3 : 1;
	const data = pnm.subarray(match[0].length, match[0].length + width * height * channels);
	return { width, height, channels, data: new Uint8Array(data.buffer, data.byteOffset, data.length) };
}

/**
 * Decodes a JPEG (Buffer) with Debian's djpeg: { width, height, data } with 8-bit RGB (grey repeated).
 * `args` default to the integer IDCT with djpeg's default (fancy) upsampling.
 */
function djpegRgb(jpeg, args = ['-dct', 'int']) {
	const tools = ensureOracles();
	const pnm = parsePnm(execFileSync(tools.djpeg, [...args, '-pnm'], { input: jpeg, maxBuffer: 1 << 30 }));
	if (pnm.channels === 3) return { width: pnm.width, height: pnm.height, data: pnm.data };
	const data = new Uint8Array(pnm.width * pnm.height * 3);
	for (let i = 0; i < pnm.data.length; i++) data.fill(pnm.data[i], i * 3, i * 3 + 3);
	return { width: pnm.width, height: pnm.height, data };
}

module.exports = { ensureOracles, decodeWithOracle, parsePam, parsePnm, djpegRgb, pillowRgba, tempFolder, TOOLS, SKIMAGE_DATA };

'use strict';
// What the README promises the user sees, read from the README itself, so a browser test fails when the editor
// and the README disagree.

const fs = require('fs');
const path = require('path');

const README = fs.readFileSync(path.resolve(__dirname, '..', '..', 'README.md'), 'utf8');

/** The rows of the first table under a heading: [{ label, default }] from its first column and its "default" one. */
function tableUnder(heading) {
	const start = README.indexOf(`\n${heading}\n`);
	if (start < 0) throw new Error(`README has no heading "${heading}"`);
	const rows = [];
	let inTable = false;
	for (const line of README.slice(start + heading.length + 2).split('\n')) {
		if (line.startsWith('|')) {
			inTable = true;
			const cells = line.split('|').slice(1, -1).map((cell) => cell.trim());
			if (!/^-+$/.test(cells[0])) rows.push(cells);
		} else if (inTable) {
			break;
		}
	}
	const [header, ...body] = rows;
	const column = header.indexOf('default');
	if (column < 0) throw new Error(`the table under "${heading}" has no default column`);
	return body.map((cells) => ({ label: cells[0].replace(/\s*\(`[^`]*`\)$/, ''), default: cells[column] }));
}

/** A README default cell as the editor shows it in the field: `data` -> data, empty -> '', 7 -> 7. */
function shownDefault(cell) {
	if (cell === 'empty' || cell === '—') return '';
	return cell.replace(/`/g, '').replace(/\s*\(.*\)$/, '');
}

/** The message the README promises for a key that Segmind rejects, quoted in the credential section. */
function rejectedKeyMessage() {
	const match = README.match(/fails the test with\s+"([^"]+)"/);
	if (!match) throw new Error('README does not quote the wrong-key message ("fails the test with "...")');
	return match[1];
}

module.exports = { README, tableUnder, shownDefault, rejectedKeyMessage };

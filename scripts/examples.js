'use strict';
// The example workflows name their files under /files/, as a user's n8n would. For the demo and the local editor,
// point them at the bundled face photo and an output folder in the repository, so they run at the first click.

const path = require('path');

const ROOT = path.resolve(__dirname, '..');
const FACE = path.join(ROOT, 'examples', 'face.png');

function localizeExample(workflow, outputDir) {
	for (const node of workflow.nodes) {
		if (node.parameters.fileSelector) node.parameters.fileSelector = FACE;
		if (typeof node.parameters.fileName === 'string') node.parameters.fileName = node.parameters.fileName.replace('/files/', `${outputDir}/`);
	}
	return workflow;
}

module.exports = { FACE, localizeExample };

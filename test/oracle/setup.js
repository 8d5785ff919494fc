// Installs the image oracles once before the suite (apt-get when missing).
const { ensureOracles } = require('../helpers/oracles');

module.exports = async () => {
	ensureOracles();
};

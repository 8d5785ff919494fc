import nock from 'nock';

import { accounts } from '../nodes/FaceToSticker/transport/account';
import { captured, TEST_KEY } from './helpers/fakeContext';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { expectNoSecrets } = require('./helpers/secrets');

// No unit test may reach a real network: every request must meet a nock interceptor.
beforeAll(() => {
	if (!nock.isActive()) nock.activate();
	nock.disableNetConnect();
});
afterEach(() => {
	nock.cleanAll();
	// The account registry lives as long as the process, as in n8n; a 429 pause must not reach the next test.
	accounts.clear();
});
afterAll(() => {
	// The shared secrecy check: the test key is in no output item, error message or description of this file.
	expectNoSecrets(captured, [TEST_KEY]);
	// Each test file loads its own nock; un-patch http at the end so the next file's does not stack on this one.
	nock.enableNetConnect();
	nock.restore();
});

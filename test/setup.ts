import nock from 'nock';

// No unit test may reach a real network: every request must meet a nock interceptor.
beforeAll(() => {
	if (!nock.isActive()) nock.activate();
	nock.disableNetConnect();
});
afterEach(() => nock.cleanAll());
// Each test file loads its own nock; un-patch http at the end so the next file's does not stack on this one.
afterAll(() => {
	nock.enableNetConnect();
	nock.restore();
});

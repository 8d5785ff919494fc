'use strict';
// One n8n editor as a user meets it: `n8n start` with this package installed as a community package, an owner
// account, and a Chromium page signed in through n8n's own sign-in form. The helpers below only do what a user
// does (click, type, read what is shown); n8n's REST API is used for nothing but setting the owner up.

const fs = require('fs');
const path = require('path');

const { N8nInstance, N8nServer, OWNER } = require('../e2e/n8n-harness');
const { launchChromium } = require('./browser');

const SCREENSHOTS = path.resolve(__dirname, '..', '..', 'docs', 'screenshots');

/** Polls `read` until `check` accepts its value (or the time is up): what the page shows can lag a click. */
async function eventually(read, check, { timeoutMs = 20_000, what = 'the page' } = {}) {
	const deadline = Date.now() + timeoutMs;
	let last;
	for (;;) {
		try {
			last = await read();
			if (check(last)) return last;
		} catch (error) {
			last = error;
		}
		if (Date.now() > deadline) throw new Error(`${what} never showed what was expected; last seen: ${String(last && last.message ? last.message : JSON.stringify(last)).slice(0, 1500)}`);
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
}

class EditorSession {
	/**
	 * @param major n8n major version (2 or 1)
	 * @param options.credentials, options.workflows imported before n8n starts; options.env for the server;
	 *   options.screenshots: where screenshots go (docs/screenshots for 2.x, the README's pictures).
	 */
	constructor(major, { credentials = [], workflows = [], env = {}, screenshots } = {}) {
		this.major = major;
		this.credentials = credentials;
		this.workflows = workflows;
		this.env = env;
		this.screenshotDir = screenshots || (major === 2 ? SCREENSHOTS : path.resolve(__dirname, '..', '..', '.e2e-work', `ui-n8n${major}`));
	}

	async start() {
		this.instance = new N8nInstance(this.major, { name: 'ui' });
		if (this.credentials.length) await this.instance.importCredentials(this.credentials);
		if (this.workflows.length) await this.instance.importWorkflows(this.workflows);
		this.server = await new N8nServer(this.instance, { env: this.env }).start();
		this.base = `http://127.0.0.1:${this.server.port}`;
		this.browser = await launchChromium();
		fs.mkdirSync(this.screenshotDir, { recursive: true });
		return this;
	}

	/** A new browser context (own local storage), signed in as the owner through the sign-in form. */
	async newPage({ colorScheme = 'light', theme } = {}) {
		const context = await this.browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme, deviceScaleFactor: 1 });
		if (theme) await context.addInitScript((value) => window.localStorage.setItem('N8N_THEME', value), theme);
		const page = await context.newPage();
		page.setDefaultTimeout(20_000);
		await page.goto(`${this.base}/signin`);
		await page.getByTestId('emailOrLdapLoginId').locator('input').fill(OWNER.email);
		await page.getByTestId('password').locator('input').fill(OWNER.password);
		await page.getByTestId('form-submit-button').click();
		await page.waitForURL((url) => !url.pathname.includes('/signin'));
		return page;
	}

	async openWorkflow(page, id) {
		await page.goto(`${this.base}/workflow/${id}`);
		await page.getByTestId('canvas-node').first().waitFor();
	}

	async newWorkflow(page) {
		await page.goto(`${this.base}/workflow/new`);
		await page.getByTestId('canvas-wrapper').waitFor();
	}

	/** Opens a node's details view (the parameters panel) by double-clicking it on the canvas. */
	async openNode(page, name) {
		await page.getByTestId('canvas-node').filter({ hasText: name }).first().dblclick();
		await page.getByTestId('ndv').waitFor();
	}

	/** Waits for the run started with Execute workflow to end, then opens the node. */
	async openNodeWhenRun(page, name) {
		await this.waitForRun(page);
		await this.openNode(page, name);
	}

	/** The run started with Execute workflow has ended: n8n says so in a toast. */
	async waitForRun(page) {
		await page
			.locator('.el-notification, [role="alert"]')
			.filter({ hasText: /Workflow executed successfully|Problem in node/ })
			.first()
			.waitFor({ timeout: 90_000 });
	}

	/** The output panel's JSON view, parsed: n8n prints it as indented JSON text. */
	async readJsonView(page) {
		const output = page.getByTestId('output-panel');
		await output.getByTestId('radio-button-json').click();
		return eventually(
			async () => {
				const text = await output.innerText();
				try {
					return JSON.parse(text.slice(text.indexOf('['), text.lastIndexOf(']') + 1).replace(/\s*\n\s*/g, ' '));
				} catch {
					// n8n draws only the lines in view of a long record: read the first item's top-level fields shown.
					return [topLevelFields(text)];
				}
			},
			(value) => Array.isArray(value) && value.length > 0 && Object.keys(value[0]).length > 0,
			{ what: 'the JSON view' },
		);
	}

	/** In a new workflow, finds a node in the node panel by `term` and picks its `action`: its parameters open. */
	async addNode(page, term, name, action) {
		await this.newWorkflow(page);
		await page.getByTestId('canvas-plus-button').click();
		await page.getByTestId('node-creator-search-bar').fill(term);
		await page.getByTestId('node-creator').getByTestId('item-iterator-item').filter({ hasText: name }).first().click();
		await page.getByTestId('node-creator').getByText(action).click();
		await page.getByTestId('ndv').waitFor();
	}

	async closeNode(page) {
		await page.getByTestId('ndv-close-button').click();
		await page.getByTestId('ndv').waitFor({ state: 'hidden' });
	}

	/**
	 * The parameters the panel shows, in order: [{ name, label, value }]. `within`: the name of a collection, for the
	 * entries added to it; otherwise the top-level parameters of the Parameters tab.
	 */
	async visibleParameters(page, within) {
		return page.getByTestId('node-parameters').evaluate((root, collection) => {
			const scope = collection ? root.querySelector(`label[for="${collection}"]`).closest('[data-test-id="parameter-item"]') : root;
			const owner = (el) => el.parentElement.closest('[data-test-id="parameter-item"]');
			return [...scope.querySelectorAll('[data-test-id="parameter-item"]')]
				.filter((item) => item.checkVisibility() && owner(item) === (collection ? scope : null))
				.map((item) => {
					const label = item.querySelector('label[for]');
					const name = label ? label.getAttribute('for') : '';
					const title = item.querySelector('[data-test-id="input-label"] label span');
					const field = item.querySelector(`[data-test-id="parameter-input-${name}"]`);
					const input = field && field.querySelector('input, textarea');
					const toggle = field && field.querySelector('[role="switch"], .el-switch');
					let value = input ? input.value : '';
					if (toggle) value = toggle.classList.contains('is-checked') || toggle.getAttribute('aria-checked') === 'true' ? 'on' : 'off';
					return { name, label: title ? title.textContent.trim() : '', value };
				});
		}, within);
	}

	/**
	 * The entries of the list a dropdown opened: the one its combobox names (aria-controls), not another list still
	 * fading out. They render a moment after the list opens.
	 */
	async openList(page, combobox, what) {
		await combobox.click();
		const id = await combobox.getAttribute('aria-controls');
		const options = id ? page.locator(`[id="${id}"] [role="option"]`) : page.locator('.el-select-dropdown:visible [role="option"]');
		const texts = await eventually(() => options.allInnerTexts(), (list) => list.length > 0, { what });
		return { options, texts: texts.map((text) => text.trim()) };
	}

	/** Picks `label` in the dropdown parameter `name` (an option's description is shown under its name). */
	async choose(page, name, label) {
		const combobox = page.getByTestId(`parameter-input-${name}`).locator('input[role="combobox"], input').first();
		const { options, texts } = await this.openList(page, combobox, `the ${name} list`);
		const index = texts.findIndex((text) => text.split('\n')[0].trim() === label);
		if (index < 0) throw new Error(`${name} offers no "${label}": ${JSON.stringify(texts)}`);
		await options.nth(index).click();
		await eventually(() => options.first().isVisible(), (visible) => !visible, { what: `the ${name} list closing` });
	}

	/** Adds the entry `label` to a collection through its "Add ..." list. */
	async addToCollection(page, placeholder, label) {
		const combobox = page.getByTestId('node-parameters').getByPlaceholder(placeholder);
		const { options, texts } = await this.openList(page, combobox, `the "${placeholder}" list`);
		const index = texts.indexOf(label);
		if (index < 0) throw new Error(`"${placeholder}" offers no "${label}": ${JSON.stringify(texts)}`);
		await options.nth(index).click();
	}

	/** Opens a collection's "Add ..." list and returns the entries it offers. */
	async collectionChoices(page, placeholder) {
		const combobox = page.getByTestId('node-parameters').getByPlaceholder(placeholder);
		return (await this.openList(page, combobox, `the "${placeholder}" list`)).texts;
	}

	async screenshot(target, name) {
		const file = path.join(this.screenshotDir, `${name}.png`);
		await target.screenshot({ path: file });
		return file;
	}

	async stop() {
		if (this.browser) await this.browser.close().catch(() => undefined);
		if (this.server) await this.server.stop();
	}
}

/**
 * The first item's fields with plain values, from a JSON view's text that n8n drew only in part: every
 * `"key": value` pair seen, the first of each key kept (a nested record's fields, e.g. photo's, do not share the
 * names a test reads).
 */
function topLevelFields(text) {
	const fields = {};
	const pair = /"([A-Za-z]\w*)":\s*("(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)/g;
	for (const [, key, value] of text.matchAll(pair)) if (!(key in fields)) fields[key] = JSON.parse(value);
	return fields;
}

module.exports = { EditorSession, eventually };

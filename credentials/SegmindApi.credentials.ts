import type {
	IAuthenticateGeneric,
	IAuthenticateRuleResponseCode,
	IAuthenticateRuleResponseSuccessBody,
	Icon,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

export class SegmindApi implements ICredentialType {
	name = 'segmindApi';

	displayName = 'Segmind API';

	icon: Icon = { light: 'file:segmind.svg', dark: 'file:segmind.dark.svg' };

	documentationUrl = 'https://docs.segmind.com/home/getting-started/authentication';

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description: 'Your Segmind API key (starts with SG_), from the API Keys page of the Segmind console',
			hint: 'In the Segmind console: Developer → API Keys. It starts with SG_.',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://api.segmind.com',
			description:
				'Change only to go through a proxy or to a local emulator. The API key is sent to this origin and the Upload URL\'s only.',
		},
		{
			displayName: 'Upload URL',
			name: 'uploadUrl',
			type: 'string',
			default: 'https://workflows-api.segmind.com',
			description:
				'Segmind\'s storage service, where binary photos are uploaded when base64 is refused or Photo Upload is set to Upload. Change only for a proxy or a local emulator.',
		},
		{
			displayName: 'Requests per Minute',
			name: 'requestsPerMinute',
			type: 'number',
			typeOptions: { minValue: 0, maxValue: 100000 },
			default: 0,
			hint: '0 = no limit. Enter your plan\'s limit to share it across all workflows.',
			description:
				'Your plan\'s rate limit, shared by every workflow and execution using this credential (in queue mode: per worker, so divide by the number of workers). 0 means no cap.',
		},
		{
			displayName: 'Requests per Minute Counts',
			name: 'requestsCounted',
			type: 'options',
			options: [
				{
					name: 'All Requests',
					value: 'all',
					description: 'Submits, status checks, results and background removals. The safe choice.',
				},
				{
					name: 'Only Requests That Start Work',
					value: 'work',
					description: 'Submits and background removals. Status checks and results go out without waiting their turn, and a job is checked more often.',
				},
			],
			default: 'all',
			description:
				'Which requests your plan\'s limit counts. Choose Only Requests That Start Work if Segmind does not count status checks on your plan. Either way a 429 on any request pauses every request of the account.',
		},
		{
			displayName: 'Concurrent Jobs',
			name: 'maxConcurrentJobs',
			type: 'number',
			typeOptions: { minValue: 0, maxValue: 1000 },
			default: 0,
			hint: '0 = no limit. Most stickers generated at once across all workflows.',
			description:
				'Most stickers generated at once with this credential, across every workflow and execution (in queue mode: per worker). 0 means no cap.',
		},
	];

	// Segmind accepts the key only in this header; a Bearer token is rejected with 401.
	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				'x-api-key': '={{$credentials.apiKey}}',
			},
		},
	};

	// GET /v1/get-user-credits runs no model and costs nothing. A valid key whose account has no balance record
	// answers 404 "No credits found for the user": that key works, so only 401 and 403 fail the test.
	// n8n 2.x honours `except`; n8n 1.x treats any ignoreHttpStatusErrors value as "accept every status", so the
	// body rules below catch Segmind's documented 401/403 bodies there.
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl}}',
			url: '/v1/get-user-credits',
			method: 'GET',
			ignoreHttpStatusErrors: { ignore: true, except: [401, 403] },
		},
		// Both kinds of rule in one list: n8n checks each by its type, though the type union allows only one kind.
		rules: [
			rejectStatus(401, REJECTED_KEY),
			rejectStatus(403, FORBIDDEN_KEY),
			rejectBody('error', 'Missing Authorization or x-api-key in header', REJECTED_KEY),
			rejectBody('error', 'invalid_api_key', REJECTED_KEY),
			rejectBody('error', 'invalid_token', REJECTED_KEY),
			rejectBody('error', 'insufficient_scope', FORBIDDEN_KEY),
		] as IAuthenticateRuleResponseCode[],
	};
}

const REJECTED_KEY = 'Segmind rejected this API key. Copy the key again from the Segmind console (API Keys).';
const FORBIDDEN_KEY = 'This API key is not allowed to use the Segmind API (team or permission restriction).';

function rejectStatus(value: number, message: string): IAuthenticateRuleResponseCode {
	return { type: 'responseCode', properties: { value, message } };
}

function rejectBody(key: string, value: string, message: string): IAuthenticateRuleResponseCode {
	const rule: IAuthenticateRuleResponseSuccessBody = {
		type: 'responseSuccessBody',
		properties: { key, value, message },
	};
	return rule as unknown as IAuthenticateRuleResponseCode;
}

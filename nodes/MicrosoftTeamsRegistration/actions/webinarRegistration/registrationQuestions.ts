import type { IDataObject, INode, ResourceMapperField } from 'n8n-workflow';

import { isRecord } from '../../helpers/data';
import { inputError } from '../../helpers/parameters';

/**
 * A webinar's registration questions as the node works with them: loaded from Graph's
 * registration configuration (custom questions with an answer type, predefined ones such
 * as "Job title" answered with text), offered in the editor as fields to map, and used to
 * check every answer before it is sent.
 */
export type AnswerKind = 'text' | 'boolean' | 'singleChoice' | 'multiChoice' | 'unsupported';

export interface RegistrationQuestion {
	id: string;
	displayName: string;
	required: boolean;
	kind: AnswerKind;
	/** The allowed answers of choice questions. */
	choices: string[];
	/** Graph's answerInputType when the node does not know it. */
	unsupportedType?: string;
}

const KIND_BY_INPUT_TYPE: Record<string, AnswerKind> = {
	text: 'text',
	multilineText: 'text',
	boolean: 'boolean',
	singleChoice: 'singleChoice',
	multiChoice: 'multiChoice',
};

/** The mapper's field type per answer kind: how the editor lets the user answer. */
const FIELD_TYPE_BY_KIND = {
	text: 'string',
	boolean: 'boolean',
	singleChoice: 'options',
	multiChoice: 'array',
	unsupported: 'string',
} as const;

/** Graph's questions (virtualEventRegistrationCustomQuestion / ...PredefinedQuestion). */
export function questionsFromGraph(questions: IDataObject[]): RegistrationQuestion[] {
	return questions.map((question) => {
		const inputType =
			typeof question.answerInputType === 'string' ? question.answerInputType : undefined;
		// Predefined questions (label: jobTitle, city, ...) have no answer type: they take a line of text.
		const kind =
			inputType === undefined ? 'text' : (KIND_BY_INPUT_TYPE[inputType] ?? 'unsupported');
		return {
			id: String(question.id),
			displayName:
				typeof question.displayName === 'string' ? question.displayName : String(question.id),
			required: question.isRequired === true,
			kind,
			choices: Array.isArray(question.answerChoices) ? question.answerChoices.map(String) : [],
			...(kind === 'unsupported' ? { unsupportedType: inputType } : {}),
		};
	});
}

/** The editor's fields for the questions (resource mapper), one per question, keyed by question id. */
export function mapperFieldsFor(questions: RegistrationQuestion[]): ResourceMapperField[] {
	return questions.map((question) => ({
		id: question.id,
		displayName:
			question.kind === 'unsupported'
				? `${question.displayName} (answer type "${question.unsupportedType}" not supported)`
				: question.displayName,
		required: question.required,
		defaultMatch: false,
		canBeUsedToMatch: false,
		display: true,
		type: FIELD_TYPE_BY_KIND[question.kind],
		...(question.choices.length > 0
			? { options: question.choices.map((choice) => ({ name: choice, value: choice })) }
			: {}),
	}));
}

/** The questions as the workflow stored them with the mapping (the mapper's schema), to check answers before any request. */
export function questionsFromMapperSchema(schema: unknown): RegistrationQuestion[] {
	if (!Array.isArray(schema)) return [];
	return schema.filter(isRecord).map((field) => {
		const choices = Array.isArray(field.options)
			? field.options.filter(isRecord).map((option) => String(option.value))
			: [];
		const kind: AnswerKind =
			field.type === 'boolean'
				? 'boolean'
				: field.type === 'options'
					? 'singleChoice'
					: field.type === 'array'
						? 'multiChoice'
						: 'text';
		return {
			id: String(field.id),
			displayName: String(field.displayName ?? field.id),
			required: field.required === true,
			kind,
			choices,
		};
	});
}

function isUnanswered(value: unknown): boolean {
	return (
		value === undefined || value === null || (typeof value === 'string' && value.trim() === '')
	);
}

const quoted = (choices: string[]) => choices.map((choice) => `"${choice}"`).join(', ');

/**
 * Graph's registrationQuestionAnswers for the given answers (by question id), checked
 * against the questions: every answered question must exist, required ones must be
 * answered, and each answer must fit its type. Text answers are sent as `value`, yes/no as
 * `booleanValue`, single choices as `value` and multiple choices as `multiChoiceValues`.
 * A choice matches regardless of case and is sent as the webinar spells it.
 */
export function answersFor(
	questions: RegistrationQuestion[],
	given: IDataObject,
	node: INode,
	itemIndex: number,
	/** What the event is called in messages: "webinar" or "town hall". */
	label = 'webinar',
): IDataObject[] {
	const byId = new Map(questions.map((question) => [question.id, question]));
	const refuse = (question: RegistrationQuestion, problem: string, description?: string) =>
		inputError(
			node,
			itemIndex,
			{ name: 'questionAnswers', part: question.displayName },
			problem,
			description,
		);
	for (const questionId of Object.keys(given)) {
		if (!byId.has(questionId) && !isUnanswered(given[questionId])) {
			throw inputError(
				node,
				itemIndex,
				'questionAnswers',
				`answers a question the ${label} does not have (any more): "${questionId}"`,
				`The ${label}'s questions changed after the mapping was made: open Registration Questions and refresh the question list.`,
			);
		}
	}
	const answers: IDataObject[] = [];
	for (const question of questions) {
		const answer = isUnanswered(given[question.id])
			? undefined
			: answerOf(question, given[question.id], refuse, label);
		if (answer !== undefined) answers.push({ questionId: question.id, ...answer });
		else if (question.required)
			throw refuse(question, `is required by the ${label} but has no answer`);
	}
	return answers;
}

type Refuse = (question: RegistrationQuestion, problem: string, description?: string) => Error;

/** The answer's field for Graph; undefined for an empty list of choices (no answer). */
function answerOf(
	question: RegistrationQuestion,
	value: unknown,
	refuse: Refuse,
	label: string,
): IDataObject | undefined {
	switch (question.kind) {
		case 'boolean':
			return { booleanValue: booleanAnswer(question, value, refuse) };
		case 'singleChoice':
			return { value: singleChoiceAnswer(question, textAnswer(question, value, refuse), refuse) };
		case 'multiChoice': {
			const choices = multiChoiceAnswer(question, value, refuse);
			return choices.length > 0 ? { multiChoiceValues: choices } : undefined;
		}
		case 'unsupported':
			throw refuse(
				question,
				`has the answer type "${question.unsupportedType}", which this node cannot send`,
				`Remove the answer, or answer this question on the ${label}'s registration page.`,
			);
		default:
			return { value: textAnswer(question, value, refuse) };
	}
}

function textAnswer(question: RegistrationQuestion, value: unknown, refuse: Refuse): string {
	if (typeof value === 'string') return value.trim();
	if (typeof value === 'number' || typeof value === 'boolean') return String(value);
	throw refuse(
		question,
		`must be text, but its expression resolved to ${Array.isArray(value) ? 'an array' : 'an object'}`,
	);
}

const YES = new Set(['true', 'yes']);
const NO = new Set(['false', 'no']);

function booleanAnswer(question: RegistrationQuestion, value: unknown, refuse: Refuse): boolean {
	if (typeof value === 'boolean') return value;
	const text = typeof value === 'string' ? value.trim().toLowerCase() : undefined;
	if (text !== undefined && YES.has(text)) return true;
	if (text !== undefined && NO.has(text)) return false;
	throw refuse(question, `must be true or false (or yes or no), not ${JSON.stringify(value)}`);
}

/** The choice as the webinar spells it. */
function matchChoice(question: RegistrationQuestion, answer: string): string | undefined {
	return question.choices.find((choice) => choice.toLowerCase() === answer.toLowerCase());
}

function singleChoiceAnswer(
	question: RegistrationQuestion,
	answer: string,
	refuse: Refuse,
): string {
	const choice = matchChoice(question, answer);
	if (choice === undefined)
		throw refuse(question, `must be one of ${quoted(question.choices)}, not "${answer}"`);
	return choice;
}

/** An array of choices, or text: a JSON array, or choices separated by commas. */
function multiChoiceAnswer(
	question: RegistrationQuestion,
	value: unknown,
	refuse: Refuse,
): string[] {
	let answers: unknown;
	if (typeof value === 'string' && value.trim().startsWith('[')) {
		try {
			answers = JSON.parse(value);
		} catch {
			answers = undefined;
		}
		if (!Array.isArray(answers)) throw refuse(question, `is not a JSON array of choices: ${value}`);
	} else answers = typeof value === 'string' ? value.split(',') : value;
	if (!Array.isArray(answers))
		throw refuse(question, `must be a list of choices, not ${JSON.stringify(value)}`);
	const texts = answers.map((answer) =>
		typeof answer === 'string' || typeof answer === 'number' ? String(answer).trim() : undefined,
	);
	if (texts.some((text) => text === undefined))
		throw refuse(question, 'must be a list of texts, but it holds an object or array');
	const given = (texts as string[]).filter((text) => text !== '');
	const unknown = given.filter((text) => matchChoice(question, text) === undefined);
	if (unknown.length > 0) {
		throw refuse(
			question,
			`must be one or more of ${quoted(question.choices)}; not a choice: ${quoted(unknown)}`,
			'A choice that holds a comma must be given in a list, e.g. ["Paris, France"].',
		);
	}
	return [...new Set(given.map((text) => matchChoice(question, text) as string))];
}

#!/usr/bin/env node
/**
 * `npm run lint`'s check for import loops: follows every relative import (type-only ones
 * included) between the TypeScript sources of `nodes/` and `credentials/`, and fails
 * listing each cycle it finds.
 */
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const SOURCE_DIRS = ['nodes', 'credentials'];
const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+['"](\.[^'"]+)['"]/g;

function sourcesUnder(dir) {
	return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
		const full = path.join(dir, entry.name);
		if (entry.isDirectory()) return sourcesUnder(full);
		return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [full] : [];
	});
}

function resolveImport(from, specifier) {
	const base = path.resolve(path.dirname(from), specifier);
	for (const candidate of [`${base}.ts`, path.join(base, 'index.ts')]) {
		if (fs.existsSync(candidate)) return candidate;
	}
	return undefined;
}

const files = SOURCE_DIRS.flatMap((dir) => sourcesUnder(path.join(ROOT, dir)));
const graph = new Map(
	files.map((file) => {
		const text = fs.readFileSync(file, 'utf8');
		const targets = [...text.matchAll(IMPORT)]
			.map((match) => resolveImport(file, match[1]))
			.filter(Boolean);
		return [file, [...new Set(targets)]];
	}),
);

// Depth-first search; a back edge to a file on the current path closes a cycle.
const cycles = new Set();
const state = new Map();
function visit(file, trail) {
	state.set(file, 'open');
	for (const next of graph.get(file) ?? []) {
		if (state.get(next) === 'open') {
			const cycle = trail.slice(trail.indexOf(next)).concat(next);
			cycles.add(cycle.map((entry) => path.relative(ROOT, entry)).join(' → '));
		} else if (!state.has(next)) {
			visit(next, trail.concat(next));
		}
	}
	state.set(file, 'done');
}
for (const file of files) if (!state.has(file)) visit(file, [file]);

if (cycles.size > 0) {
	console.error(
		`import loops (${cycles.size}):\n${[...cycles].map((cycle) => `  ${cycle}`).join('\n')}`,
	);
	process.exit(1);
}
console.log(`no import loops among ${files.length} source files`);

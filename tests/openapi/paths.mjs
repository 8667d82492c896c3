// Reads docs/openapi.yaml (through the validator's own YAML loader, so no
// extra dependency) and lists its operations as "METHOD /path/template".
// The route-table test compares this set with the server's routes.
import { fileURLToPath } from "node:url";
import path from "node:path";
import { Validator } from "@seriousme/openapi-schema-validator";

export const SPEC_PATH = fileURLToPath(new URL("../../docs/openapi.yaml", import.meta.url));

export const HTTP_METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/** Loads the spec file (default: docs/openapi.yaml) as a plain object. */
export async function loadSpec(file = SPEC_PATH) {
	const validator = new Validator();
	await validator.validate(path.resolve(file));
	const spec = validator.specification;
	if (!spec || typeof spec !== "object") {
		throw new Error(`${file}: not a YAML or JSON object`);
	}
	return spec;
}

/** The operations of a loaded spec as a sorted array of "METHOD /path". */
export function operationsOf(spec) {
	const out = [];
	for (const [template, item] of Object.entries(spec.paths ?? {})) {
		for (const method of HTTP_METHODS) {
			if (item && item[method]) out.push(`${method.toUpperCase()} ${template}`);
		}
	}
	return out.sort();
}

/** Set of "METHOD /path/template" strings, e.g. "GET /api/manuscripts/{id}". */
export async function specOperations(file = SPEC_PATH) {
	return new Set(operationsOf(await loadSpec(file)));
}

export default specOperations;

// `node tests/openapi/paths.mjs` prints the operations, one a line.
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
	for (const op of [...(await specOperations(process.argv[2] ?? SPEC_PATH))].sort()) {
		console.log(op);
	}
}

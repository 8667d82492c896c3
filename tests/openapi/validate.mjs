// Validates docs/openapi.yaml against the OpenAPI 3.1 JSON schema with
// @seriousme/openapi-schema-validator (which also checks that every $ref
// resolves), then applies a few structural rules the schema cannot express.
// Usage: node tests/openapi/validate.mjs [spec-file]
import path from "node:path";
import { Validator } from "@seriousme/openapi-schema-validator";
import { HTTP_METHODS, SPEC_PATH, operationsOf } from "./paths.mjs";

const file = path.resolve(process.argv[2] ?? SPEC_PATH);

function lint(spec) {
	const errors = [];
	if (spec.openapi !== "3.1.0") errors.push(`openapi is ${spec.openapi}, expected 3.1.0`);
	const schemes = Object.keys(spec.components?.securitySchemes ?? {});
	const checkSecurity = (where, sec) => {
		for (const req of sec ?? []) {
			for (const name of Object.keys(req)) {
				if (!schemes.includes(name)) errors.push(`${where}: unknown security scheme ${name}`);
			}
		}
	};
	checkSecurity("root", spec.security);

	const resolve = (obj) => {
		// Internal refs only; the validator has already checked they resolve.
		while (obj && typeof obj.$ref === "string" && obj.$ref.startsWith("#/")) {
			obj = obj.$ref
				.slice(2)
				.split("/")
				.map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"))
				.reduce((o, k) => (o == null ? o : o[k]), spec);
		}
		return obj;
	};

	const opIds = new Map();
	for (const [template, item] of Object.entries(spec.paths ?? {})) {
		if (!template.startsWith("/")) errors.push(`${template}: path must start with /`);
		const templateParams = [...template.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
		const pathLevel = (item.parameters ?? []).map(resolve);
		for (const method of HTTP_METHODS) {
			const op = item[method];
			if (!op) continue;
			const where = `${method.toUpperCase()} ${template}`;
			if (!op.operationId) errors.push(`${where}: no operationId`);
			else if (opIds.has(op.operationId))
				errors.push(`${where}: operationId ${op.operationId} also used by ${opIds.get(op.operationId)}`);
			else opIds.set(op.operationId, where);
			checkSecurity(where, op.security);

			const params = new Map();
			for (const p of [...pathLevel, ...(op.parameters ?? []).map(resolve)]) {
				if (!p || !p.name) {
					errors.push(`${where}: parameter without a name`);
					continue;
				}
				params.set(`${p.in}:${p.name}`, p);
			}
			for (const name of templateParams) {
				const p = params.get(`path:${name}`);
				if (!p) errors.push(`${where}: path parameter {${name}} is not declared`);
				else if (p.required !== true) errors.push(`${where}: path parameter {${name}} must be required`);
			}
			for (const key of params.keys()) {
				if (key.startsWith("path:") && !templateParams.includes(key.slice(5)))
					errors.push(`${where}: declares ${key} which is not in the template`);
			}

			const codes = Object.keys(op.responses ?? {});
			if (!codes.some((c) => /^[23]/.test(c))) errors.push(`${where}: no success response`);
			for (const c of codes) {
				if (!/^[1-5]\d\d$/.test(c)) errors.push(`${where}: response code ${c} is not a status`);
				const r = resolve(op.responses[c]);
				if (/^[45]/.test(c)) {
					const content = r?.content ?? {};
					const isText = template === "/readyz";
					if (!isText && !content["application/problem+json"])
						errors.push(`${where}: ${c} must be application/problem+json`);
				}
				if ((c === "204" || c === "304") && r?.content)
					errors.push(`${where}: ${c} must not have a body`);
			}
			if (["get", "delete"].includes(method) && op.requestBody)
				errors.push(`${where}: ${method.toUpperCase()} with a request body`);
		}
	}
	return errors;
}

const validator = new Validator();
let failed = 0;
const res = await validator.validate(file);
if (!res.valid) {
	failed = 1;
	console.error(`${file}: does not match the OpenAPI schema`);
	console.error(typeof res.errors === "string" ? res.errors : JSON.stringify(res.errors, null, 2));
} else if (validator.version !== "3.1") {
	failed = 1;
	console.error(`${file}: OpenAPI ${validator.version}, expected 3.1`);
} else {
	const errors = lint(validator.specification);
	for (const e of errors) console.error(`${file}: ${e}`);
	if (errors.length) failed = 1;
	else console.log(`${path.relative(process.cwd(), file) || file}: valid OpenAPI ${validator.version}, ${operationsOf(validator.specification).length} operations`);
}
console.log(`openapi: ${1 - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);

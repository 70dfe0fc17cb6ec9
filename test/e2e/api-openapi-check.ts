import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { openApiDocument } from '../../dashboard/openapi.js';

// The API tests check every answer against the OpenAPI document, articles through the contract it references.
const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;
const ajv = addFormats(new Ajv2020({ allErrors: true, strict: false }));
ajv.addSchema(JSON.parse(readFileSync(new URL('../../contracts/article.schema.json', import.meta.url), 'utf8')) as object);
ajv.addSchema({ ...openApiDocument, $id: 'urn:newsloom:openapi' });
const validators = new Map<string, ReturnType<typeof ajv.compile>>();
const templates = Object.keys(openApiDocument.paths).map((t) => ({ t, re: new RegExp(`^${t.replace(/\{[^}]+\}/g, '[^/]+')}$`) }));

/** Errors of an answer against the OpenAPI response schema for its route and status; [] when valid. */
export function openApiErrors(path: string, status: number, body: unknown): string[] {
  const template = templates.find((x) => x.re.test(path.split('?')[0]!))?.t;
  if (!template) return [`no path in the OpenAPI document matches ${path}`];
  const responses = (openApiDocument.paths as Record<string, { get: { responses: Record<string, unknown> } }>)[template]!.get.responses;
  if (!(String(status) in responses)) return [`${template} documents no ${status} answer`];
  const pointer = `#/paths/${template.replace(/~/g, '~0').replace(/\//g, '~1')}/get/responses/${status}`;
  const response = responses[String(status)] as { $ref?: string };
  const schemaRef = response.$ref ? `${response.$ref}/content/application~1json/schema` : `${pointer}/content/application~1json/schema`;
  const ref = `urn:newsloom:openapi${schemaRef}`;
  const validate = validators.get(ref) ?? validators.set(ref, ajv.compile({ $ref: ref })).get(ref)!;
  return validate(body) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '(root)'} ${e.message ?? ''}`);
}


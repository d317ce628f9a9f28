// Strict check of JSON against Google's own published .proto files (shipped in @google-cloud/dialogflow-cx and
// @google-cloud/dialogflow), following the proto3 JSON mapping: every key must be a field of the message, in its
// lowerCamelCase JSON name, with a value of the right type; at most one member of a oneof; enum values by name.
// Dialogflow silently drops what it does not know, so anything it would drop is reported here instead.
// https://protobuf.dev/programming-guides/json/
import { existsSync } from 'node:fs';
import { join } from 'node:path';
// protobufjs comes with google-gax (a dependency of the Google clients); import it from where it resolves.
import protobuf from 'protobufjs';

const PROTO_DIRS = [
  'node_modules/@google-cloud/dialogflow-cx/build/protos',
  'node_modules/@google-cloud/dialogflow/build/protos',
  'node_modules/google-gax/build/protos',
];

const PROTO_FILES = [
  'google/cloud/dialogflow/cx/v3/webhook.proto',
  'google/cloud/dialogflow/cx/v3/agent.proto',
  'google/cloud/dialogflow/cx/v3/intent.proto',
  'google/cloud/dialogflow/cx/v3/entity_type.proto',
  'google/cloud/dialogflow/cx/v3/flow.proto',
  'google/cloud/dialogflow/v2/webhook.proto',
  'google/cloud/dialogflow/v2beta1/webhook.proto',
];

let cachedRoot: protobuf.Root | null = null;

export function googleProtos(): protobuf.Root {
  if (cachedRoot) return cachedRoot;
  const root = new protobuf.Root();
  root.resolvePath = (origin, target) => {
    for (const dir of PROTO_DIRS) {
      const candidate = join(dir, target);
      if (existsSync(candidate)) return candidate;
    }
    return protobuf.util.path.resolve(origin, target);
  };
  root.loadSync(PROTO_FILES, { keepCase: false });
  root.resolveAll();
  cachedRoot = root;
  return root;
}

export interface ProtoCheckOptions {
  /** Reject fields marked OUTPUT_ONLY: Dialogflow ignores them in what it is sent (webhook responses). */
  rejectOutputOnly?: boolean;
  /**
   * The Dialogflow CX JSON package (agent export) writes a few things its own way: maps as [{key, value}], durations
   * as {seconds, nanos}, and some fields that are not in the API messages (for example `languageCode` on a training
   * phrase). Keys: message full names without the leading dot.
   */
  exportDialect?: { extraFields: Record<string, readonly string[]> };
}

const INT32 = new Set(['int32', 'sint32', 'sfixed32']);
const UINT32 = new Set(['uint32', 'fixed32']);
const INT64 = new Set(['int64', 'sint64', 'sfixed64', 'uint64', 'fixed64']);

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function fieldBehaviors(field: protobuf.Field): string[] {
  // At run time parsedOptions is a list of {option: value}, one per declared option.
  const declared = (field.parsedOptions ?? []) as unknown as Record<string, unknown>[];
  return declared
    .map((option) => option['(google.api.field_behavior)'])
    .filter((value: unknown): value is string => typeof value === 'string');
}

export function protoProblems(typeName: string, json: unknown, options: ProtoCheckOptions = {}): string[] {
  const root = googleProtos();
  const problems: string[] = [];
  const report = (path: string, message: string) => problems.push(`${path || '(root)'}: ${message}`);

  const checkValue = (value: unknown, path: string): void => {
    // google.protobuf.Value: any JSON value.
    if (value === null || typeof value === 'string' || typeof value === 'boolean') return;
    if (typeof value === 'number') {
      if (!Number.isFinite(value)) report(path, 'a Value number must be finite');
      return;
    }
    if (Array.isArray(value)) {
      for (const [index, item] of value.entries()) checkValue(item, `${path}[${index}]`);
      return;
    }
    if (isPlainObject(value)) {
      for (const [key, item] of Object.entries(value)) checkValue(item, `${path}.${key}`);
      return;
    }
    report(path, `not a JSON value (${typeof value})`);
  };

  const checkWellKnown = (fullName: string, value: unknown, path: string): boolean => {
    switch (fullName) {
      case '.google.protobuf.Value':
        checkValue(value, path);
        return true;
      case '.google.protobuf.Struct':
        if (!isPlainObject(value)) report(path, 'a Struct must be a JSON object');
        else checkValue(value, path);
        return true;
      case '.google.protobuf.ListValue':
        if (!Array.isArray(value)) report(path, 'a ListValue must be an array');
        else checkValue(value, path);
        return true;
      case '.google.protobuf.Duration':
        if (options.exportDialect && isPlainObject(value)) {
          for (const [key, item] of Object.entries(value)) {
            if (!['seconds', 'nanos'].includes(key) || !Number.isInteger(item)) {
              report(`${path}.${key}`, 'a Duration object has integer seconds and nanos only');
            }
          }
        } else if (typeof value !== 'string' || !/^-?\d+(\.\d{1,9})?s$/.test(value)) {
          report(path, 'a Duration is a string like "5s"');
        }
        return true;
      case '.google.protobuf.Timestamp':
        if (typeof value !== 'string' || Number.isNaN(Date.parse(value)))
          report(path, 'not an RFC 3339 time');
        return true;
      case '.google.protobuf.FieldMask':
        if (typeof value !== 'string') report(path, 'a FieldMask is a string');
        return true;
      case '.google.protobuf.Empty':
        if (!isPlainObject(value) || Object.keys(value).length > 0) report(path, 'Empty must be {}');
        return true;
      default:
        return false;
    }
  };

  const checkScalar = (type: string, value: unknown, path: string): void => {
    const integer = (min: number, max: number) => {
      const number = typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value;
      if (typeof number !== 'number' || !Number.isInteger(number) || number < min || number > max) {
        report(path, `expected ${type}, got ${JSON.stringify(value)}`);
      }
    };
    if (type === 'string') {
      if (typeof value !== 'string') report(path, `expected string, got ${JSON.stringify(value)}`);
    } else if (type === 'bool') {
      if (typeof value !== 'boolean') report(path, `expected bool, got ${JSON.stringify(value)}`);
    } else if (INT32.has(type)) {
      integer(-(2 ** 31), 2 ** 31 - 1);
    } else if (UINT32.has(type)) {
      integer(0, 2 ** 32 - 1);
    } else if (INT64.has(type)) {
      integer(Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
    } else if (type === 'float' || type === 'double') {
      if (typeof value !== 'number' && !['NaN', 'Infinity', '-Infinity'].includes(value as string)) {
        report(path, `expected ${type}, got ${JSON.stringify(value)}`);
      }
    } else if (type === 'bytes') {
      if (typeof value !== 'string' || !/^[A-Za-z0-9+/_-]*={0,2}$/.test(value))
        report(path, 'expected base64 bytes');
    } else {
      report(path, `unhandled scalar type ${type}`);
    }
  };

  const checkSingle = (field: protobuf.Field, value: unknown, path: string): void => {
    const resolved = field.resolvedType;
    if (resolved instanceof protobuf.Enum) {
      const known =
        typeof value === 'string'
          ? Object.hasOwn(resolved.values, value)
          : Number.isInteger(value) && Object.values(resolved.values).includes(value as number);
      if (!known) report(path, `${JSON.stringify(value)} is not a value of enum ${resolved.fullName}`);
    } else if (resolved instanceof protobuf.Type) {
      checkMessage(resolved, value, path);
    } else {
      checkScalar(field.type, value, path);
    }
  };

  const checkMessage = (type: protobuf.Type, value: unknown, path: string): void => {
    if (checkWellKnown(type.fullName, value, path)) return;
    if (!isPlainObject(value)) {
      report(path, `expected a ${type.fullName} object, got ${JSON.stringify(value)}`);
      return;
    }
    const extra = options.exportDialect?.extraFields[type.fullName.slice(1)] ?? [];
    for (const [key, item] of Object.entries(value)) {
      const here = path ? `${path}.${key}` : key;
      const field = type.fields[key];
      if (!field) {
        if (!extra.includes(key)) report(here, `no field '${key}' in ${type.fullName}`);
        continue;
      }
      if (options.rejectOutputOnly && fieldBehaviors(field).includes('OUTPUT_ONLY')) {
        report(here, `'${key}' is OUTPUT_ONLY in ${type.fullName}: Dialogflow ignores it`);
      }
      if (item === null && field.resolvedType?.fullName !== '.google.protobuf.Value') {
        report(here, 'null means "not set": leave the field out');
        continue;
      }
      if (field instanceof protobuf.MapField) {
        const entries: [string, unknown][] =
          options.exportDialect && Array.isArray(item)
            ? item.map((entry) => [
                String((entry as { key: unknown }).key),
                (entry as { value: unknown }).value,
              ])
            : isPlainObject(item)
              ? Object.entries(item)
              : [];
        if (!isPlainObject(item) && !(options.exportDialect && Array.isArray(item))) {
          report(here, `map<${field.keyType}, ${field.type}> must be a JSON object`);
        }
        for (const [mapKey, mapValue] of entries) checkSingle(field, mapValue, `${here}.${mapKey}`);
      } else if (field.repeated) {
        if (!Array.isArray(item)) report(here, `repeated ${field.type} must be an array`);
        else for (const [index, element] of item.entries()) checkSingle(field, element, `${here}[${index}]`);
      } else {
        checkSingle(field, item, here);
      }
    }
    for (const oneof of type.oneofsArray) {
      // proto3 `optional` fields are synthetic oneofs of one member: not a real choice.
      if (oneof.fieldsArray.length === 1 && oneof.name.startsWith('_')) continue;
      const set = oneof.oneof.filter((name) => value[name] !== undefined);
      if (set.length > 1) report(path, `oneof ${oneof.name} has more than one member set: ${set.join(', ')}`);
    }
  };

  checkMessage(root.lookupType(typeName), json, '');
  return problems;
}

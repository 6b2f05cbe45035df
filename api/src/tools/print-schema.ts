// Writes the sorted SDL to api/schema.graphql; a test fails when the committed file differs.
import fs from 'node:fs';
import path from 'node:path';
import { printSchema } from 'graphql';
import { repoRoot } from '../config.js';
import { schema } from '../schema.js';

const target = path.join(repoRoot, 'api/schema.graphql');
fs.writeFileSync(target, `${printSchema(schema)}\n`);
process.stdout.write(`wrote ${path.relative(process.cwd(), target)}\n`);

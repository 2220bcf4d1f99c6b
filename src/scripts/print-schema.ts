/** Writes schema/schema.graphql from the running schema: `npm run schema:print`. */
import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { createSchema, printSortedSchema } from '../schema';

createSchema()
  .then((schema) => {
    const file = path.resolve(__dirname, '../../schema/schema.graphql');
    writeFileSync(file, printSortedSchema(schema));
    console.log(`wrote ${path.relative(process.cwd(), file)}`);
  })
  .catch((err) => {
    console.error(err);
    process.exit(1);
  });

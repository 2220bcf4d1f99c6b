#!/usr/bin/env node
'use strict';
// The administration CLI: runs the TypeScript sources through @swc-node/register, like `npm start`,
// with the repository's tsconfig whatever the working directory (decorator metadata depends on it).
const path = require('node:path');

process.env.SWC_NODE_PROJECT = process.env.SWC_NODE_PROJECT || path.join(__dirname, '..', 'tsconfig.json');
require('@swc-node/register');
require('../src/cli/main.ts')
  .run(process.argv.slice(2))
  .then((code) => process.exit(code));

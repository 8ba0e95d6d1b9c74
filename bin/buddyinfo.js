#!/usr/bin/env node
// CommonJS (bin/package.json says so): an ES-module entry costs about 5 ms more to start, for the module loader.
require('../dist/boot.cjs');

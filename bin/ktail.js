#!/usr/bin/env node
// Installed as both `ktail` and `kubectl-ktail` (so `kubectl ktail …` works).
import { main } from '../dist/main.js';

const code = await main(process.argv.slice(2));
// Every write has been flushed by the time main() resolves; open sockets must not keep us alive.
process.exit(code);

#!/usr/bin/env node
// Empties the current package's dist/ before a build, so that outputs of deleted sources never ship.
import { rmSync } from 'node:fs';

rmSync('dist', { recursive: true, force: true });

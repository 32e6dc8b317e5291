#!/usr/bin/env node
'use strict';
/**
 * Start the Graph sandbox for demos and manual testing.
 *   node sandbox/cli.js [--port N] [--latency MS | --latency MIN,MAX] [--rate R] [--seed S]
 * Prints one JSON line {url, token, meetings:[{id, joinWebUrl, allowedRegistrant}]} and runs
 * until SIGINT/SIGTERM.
 *
 * `createDemoMeetings` is also what `npm run demo` and `npm run test:e2e` put into their
 * in-process sandbox, so all three show the same meetings.
 */
const { startGraphSandbox, DEFAULT_DELEGATED_TOKEN } = require('./graph-sandbox');

/** The contract's example meeting id, so the documented requests work verbatim. */
const CONTRACT_MEETING_ID = 'MSpkYzE3Njc0Yy04MWQ5LTRhZGItYmZ';
const USAGE = 'usage: node sandbox/cli.js [--port N] [--latency MS|MIN,MAX] [--rate R] [--seed S]';

/** @param {string[]} argv */
function parseArgs(argv) {
  /** @type {{port?: number, latency?: number|[number, number], rate?: number, seed?: string}} */
  const args = {};
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[i + 1];
    if (value === undefined) throw new Error(`missing value for ${flag}`);
    i++;
    if (flag === '--port') args.port = toNumber(flag, value);
    else if (flag === '--rate') args.rate = toNumber(flag, value);
    else if (flag === '--seed') args.seed = value;
    else if (flag === '--latency') {
      const parts = value.split(',').map((v) => toNumber(flag, v));
      args.latency = parts.length === 2 ? [parts[0], parts[1]] : parts[0];
    } else throw new Error(`unknown option ${flag}`);
  }
  return args;
}

/** @param {string} flag @param {string} value */
function toNumber(flag, value) {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new Error(`${flag} expects a non-negative number, got '${value}'`);
  return n;
}

/**
 * The demo meetings: one whose registration allows everyone (the contract's example id), one
 * allowing an organization. With the same seed they get the same join links after every
 * start or `reset()`.
 * @param {import('./graph-sandbox').GraphSandbox} sandbox
 */
function createDemoMeetings(sandbox) {
  return [
    sandbox.createMeeting({ id: CONTRACT_MEETING_ID, subject: 'Demo webinar (open registration)', allowedRegistrant: 'everyone' }),
    sandbox.createMeeting({ subject: 'Demo town hall (organization registration)', allowedRegistrant: 'organization' }),
  ];
}

async function main() {
  let args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`${/** @type {Error} */ (err).message}\n${USAGE}\n`);
    process.exit(2);
  }
  const sandbox = await startGraphSandbox({
    port: args.port,
    latency: args.latency,
    rateLimit: args.rate ? { perSecond: args.rate } : null,
    seed: args.seed,
  });
  const meetings = createDemoMeetings(sandbox);
  process.stdout.write(`${JSON.stringify({
    url: sandbox.url,
    token: DEFAULT_DELEGATED_TOKEN,
    meetings: meetings.map((m) => ({ id: m.id, joinWebUrl: m.joinWebUrl, allowedRegistrant: m.registration && m.registration.allowedRegistrant })),
  })}\n`);
  const stop = () => {
    sandbox.close().then(() => process.exit(0), () => process.exit(1));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

module.exports = { createDemoMeetings, CONTRACT_MEETING_ID };

if (require.main === module) {
  main().catch((err) => {
    process.stderr.write(`${err && err.stack ? err.stack : err}\n`);
    process.exit(1);
  });
}

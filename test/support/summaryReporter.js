// Ends every jest run with the plain "N passed, N failed" line that CI reads. Jest prints
// its own summary after the reporters' onRunComplete, so the line is written at exit.
const { writeSync } = require('node:fs');

class SummaryReporter {
	onRunComplete(_contexts, results) {
		const line = `\n${results.numPassedTests} passed, ${results.numFailedTests} failed\n`;
		process.once('exit', () => writeSync(process.stderr.fd, line));
	}
}

module.exports = SummaryReporter;

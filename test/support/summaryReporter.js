// Ends every jest run with the plain "N passed, N failed" line that CI reads (on stderr,
// after jest's own summary, which jest also writes to stderr).
class SummaryReporter {
	onRunComplete(_contexts, results) {
		process.stderr.write(`\n${results.numPassedTests} passed, ${results.numFailedTests} failed\n`);
	}
}

module.exports = SummaryReporter;

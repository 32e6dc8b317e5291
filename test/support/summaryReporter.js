// Ends every jest run with the plain "N passed, N failed" line that CI reads.
class SummaryReporter {
	onRunComplete(_contexts, results) {
		process.stdout.write(`\n${results.numPassedTests} passed, ${results.numFailedTests} failed\n`);
	}
}

module.exports = SummaryReporter;

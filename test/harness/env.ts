/**
 * Must be imported before anything loads `n8n-core`: n8n-core (through @n8n/config's
 * `getN8nFolder()`) keeps its instance settings (a config file with an encryption key) under
 * `$N8N_USER_FOLDER/.n8n`, falling back to `$HOME/.n8n`. Tests get a fresh temporary folder.
 *
 * Jest gives test modules a sandboxed `process` whose 'exit' event never fires, so the
 * folder is named after the process id and folders of processes that have ended are removed
 * the next time the harness loads.
 *
 * n8n's logger is silenced (n8n-core logs every node error with its stack, as a server
 * would); set N8N_LOG_LEVEL (error, warn, info, debug) to see its output.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const FOLDER_PATTERN = /^n8n-harness-(\d+)-/;

function isRunning(pid: number): boolean {
	try {
		process.kill(pid, 0); // signal 0: existence check only
		return true;
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}
}

function removeStaleFolders(): void {
	try {
		for (const entry of readdirSync(tmpdir())) {
			const pid = Number(FOLDER_PATTERN.exec(entry)?.[1]);
			if (pid && pid !== process.pid && !isRunning(pid)) {
				rmSync(join(tmpdir(), entry), { recursive: true, force: true });
			}
		}
	} catch {
		// best effort
	}
}

removeStaleFolders();

export const harnessUserFolder: string = mkdtempSync(join(tmpdir(), `n8n-harness-${process.pid}-`));
process.env.N8N_USER_FOLDER = harnessUserFolder;
process.env.N8N_LOG_LEVEL ??= 'silent';

process.once('exit', () => {
	// Runs outside Jest (e.g. a plain ts-node script); Jest relies on removeStaleFolders.
	rmSync(harnessUserFolder, { recursive: true, force: true });
});

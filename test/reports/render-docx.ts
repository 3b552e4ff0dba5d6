/** Renders a stored report's .docx in a process of its own (the determinism test compares it with the server's bytes). */
import fs from 'node:fs';
import { reportDocx } from '../../src/modules/reports/docx.js';

const [input, output] = process.argv.slice(2);
const r = JSON.parse(fs.readFileSync(input!, 'utf8'));
fs.writeFileSync(output!, await reportDocx({ snapshot: r.snapshot, hash: r.snapshotHash, revisionNotes: r.revisions, revision: r.revision }));

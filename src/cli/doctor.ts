import { databaseTarget } from '../app.js';
import { diagnose, formatFinding } from '../platform/doctor.js';

// npm run doctor: checks the configuration, the database, its migrations and the SMTP server with the settings
// this process would start with, one line each; exits with 1 when any is wrong.
const findings = await diagnose(process.env, databaseTarget);
// All on standard output, in order: the exit code tells a script whether anything failed.
for (const finding of findings) console.log(formatFinding(finding));
process.exit(findings.some((finding) => finding.status === 'fail') ? 1 : 0);

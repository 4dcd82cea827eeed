#!/usr/bin/env node
/**
 * The node-tgcalls command line. `node-tgcalls demo` is what README's `npm run demo` runs.
 */
import { generateCertificateFingerprint, versions } from '../index';

const usage = `usage: node-tgcalls <command> [options]

commands:
  demo [--json]   check the native engine on this machine and run the demo call
  versions        print the tg_owt snapshot, addon version and protocol versions`;

async function demo(json: boolean): Promise<number> {
  const startedAt = process.hrtime.bigint();
  const fingerprint = await generateCertificateFingerprint();
  const setupMs = Number(process.hrtime.bigint() - startedAt) / 1e6;
  const report = {
    versions: versions(),
    webrtc: { certificateFingerprint: fingerprint, setupMs: Math.round(setupMs) },
    call: 'no call engine yet',
  };
  if (json) {
    console.log(JSON.stringify(report));
  } else {
    console.log(`tg_owt ${report.versions.tgOwt}, node-tgcalls ${report.versions.addon}`);
    console.log(`WebRTC works: DTLS certificate ${fingerprint} (${report.webrtc.setupMs} ms)`);
    console.log('no call engine yet: the demo call arrives with the call engine');
  }
  return 0;
}

async function main(args: string[]): Promise<number> {
  const [command, ...rest] = args;
  switch (command) {
    case 'demo':
      return demo(rest.includes('--json'));
    case 'versions':
      console.log(JSON.stringify(versions(), null, 2));
      return 0;
    default:
      console.error(usage);
      return command === undefined || command === '--help' ? 0 : 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  },
);

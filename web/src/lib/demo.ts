/**
 * The demo accounts of the README, offered on the sign-in page of builds made
 * for development and the demo (see vite.config.ts). There is deliberately no
 * API that lists users; a production build leaves this list out entirely.
 */
declare const __DEMO_LOGINS__: boolean;

export const DEMO_PASSWORD = 'vantage-demo';

export const DEMO_LOGINS: readonly { email: string; who: string }[] = __DEMO_LOGINS__
  ? [
      { email: 'admin@northwind.example', who: 'Northwind Digital — operator administrator' },
      { email: 'pm@northwind.example', who: 'Northwind Digital — project manager (Atlas, Borealis)' },
      { email: 'ir@aurora.example', who: 'Aurora Capital — investor (Atlas, Borealis)' },
      { email: 'analyst@beacon.example', who: 'Beacon Ventures — investor (Borealis, Cirrus)' },
      { email: 'lead@cobalt.example', who: 'Cobalt Cloud — vendor (Atlas)' },
      { email: 'qa@delta.example', who: 'Delta QA — subcontractor (Borealis)' },
    ]
  : [];

// How the tests start Debian's Chromium (shared by the config and tests that launch it
// themselves): headless, as root in a container, with no background traffic.
export const executablePath = process.env.CHROMIUM ?? "/usr/bin/chromium";
export const args = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-dev-shm-usage",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-quic",
];

import { afterEach, beforeEach, vi } from 'vitest';

// An error printed during a test is a failure, not noise (epic-stack's setup-test-env).
beforeEach(() => {
  vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => {
    throw new Error(`console.error was called: ${args.map(String).join(' ')}`);
  });
});

afterEach(() => {
  vi.restoreAllMocks();
  // Workers of the integration tiers run file after file (isolate: false): no test leaves fake clocks behind.
  vi.useRealTimers();
});

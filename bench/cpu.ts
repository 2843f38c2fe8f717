/**
 * Where a bench's CPU went, from Linux's /proc: the machine's busy share, and the CPU time of PostgreSQL's
 * processes, of the app's (the process groups the bench started), of the bench itself (and its pgbench), and of
 * everything else.
 * Read at the start and the end of a run; a process started in between counts whole, one that ended is missed
 * (pgbench and its connections end with their run: for them only the machine's busy time tells).
 * PostgreSQL's figure is there only when its server runs on this machine; elsewhere (and off Linux) `end()`
 * answers null and the bench prints nothing.
 */
import fs from 'node:fs';
import os from 'node:os';

export type CpuClass = 'postgres' | 'app' | 'bench' | 'other';

interface Snapshot {
  /** Per process: its class and its user + system time in clock ticks. */
  processes: Map<number, { cls: CpuClass; ticks: number }>;
  busyTicks: number;
  totalTicks: number;
}

export interface CpuUse {
  /** Seconds of CPU per class over the run. */
  seconds: Record<CpuClass, number>;
  /** The share of all cores that was busy, 0–1. */
  busy: number;
  /** Seconds of CPU the whole machine was busy, all cores together. */
  machineSeconds: number;
}

// Linux's USER_HZ, the unit of /proc's times: 100 on every architecture Node runs on.
const TICKS_PER_SECOND = 100;

/** Starts measuring; `end()` answers what was used since. `appGroups`: the process group ids of the app. */
export function measureCpu(appGroups: number[]): { end(): CpuUse | null } {
  const before = snapshot(appGroups);
  return {
    end() {
      if (!before) return null;
      const after = snapshot(appGroups);
      if (!after) return null;
      const seconds: Record<CpuClass, number> = { postgres: 0, app: 0, bench: 0, other: 0 };
      for (const [pid, now] of after.processes) {
        const then = before.processes.get(pid);
        seconds[now.cls] += (now.ticks - (then?.ticks ?? 0)) / TICKS_PER_SECOND;
      }
      const total = after.totalTicks - before.totalTicks;
      const busyTicks = after.busyTicks - before.busyTicks;
      return {
        seconds,
        busy: total > 0 ? busyTicks / total : 0,
        // /proc/stat's first line adds up all cores.
        machineSeconds: busyTicks / TICKS_PER_SECOND,
      };
    },
  };
}

/**
 * «CPU per application: 1.60 ms (PostgreSQL 0.79 ms, app 0.62 ms, …)» per unit of work: the machine's busy time
 * over the units, then by class unless `byClass` is false (a run whose processes ended before its end was read).
 */
export function describeCpu(use: CpuUse, units: number, unit: string, byClass = true): string {
  const ms = (seconds: number) => `${((seconds * 1000) / units).toFixed(2)} ms`;
  const classes = byClass
    ? ` (PostgreSQL ${ms(use.seconds.postgres)}, app ${ms(use.seconds.app)}, ` +
      `this bench ${ms(use.seconds.bench)}, other ${ms(use.seconds.other)})`
    : '';
  return (
    `CPU per ${unit}: ${ms(use.machineSeconds)}${classes}; ` +
    `${Math.round(use.busy * 100)} % of ${os.cpus().length} cores busy`
  );
}

function snapshot(appGroups: number[]): Snapshot | null {
  let entries: string[];
  let machine: string;
  try {
    entries = fs.readdirSync('/proc');
    machine = fs.readFileSync('/proc/stat', 'utf8');
  } catch {
    return null;
  }
  const processes = new Map<number, { cls: CpuClass; ticks: number }>();
  for (const entry of entries) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    let stat: string;
    try {
      stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    } catch {
      continue; // ended meanwhile
    }
    // «pid (comm) state ppid pgrp …»: the name may hold spaces and parentheses, the fields after it do not.
    const close = stat.lastIndexOf(')');
    const name = stat.slice(stat.indexOf('(') + 1, close);
    const fields = stat.slice(close + 2).split(' ');
    const group = Number(fields[2]);
    const ticks = Number(fields[11]) + Number(fields[12]);
    const cls: CpuClass =
      pid === process.pid || name === 'pgbench'
        ? 'bench'
        : appGroups.includes(group)
          ? 'app'
          : name === 'postgres' || name.startsWith('postgres:')
            ? 'postgres'
            : 'other';
    processes.set(pid, { cls, ticks });
  }
  if (![...processes.values()].some((p) => p.cls === 'postgres')) return null;
  // The first line: «cpu user nice system idle iowait irq softirq steal …»; idle and iowait are not busy.
  const times = machine.split('\n')[0]!.trim().split(/\s+/).slice(1, 9).map(Number);
  const totalTicks = times.reduce((sum, t) => sum + t, 0);
  return { processes, busyTicks: totalTicks - times[3]! - times[4]!, totalTicks };
}

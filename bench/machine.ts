// How busy the machine was with work other than the bench's own during a run, so RESULTS.md can
// say whether its figures were measured on a quiet machine or a shared one. The load average
// cannot tell: it counts the bench's own build, servers and load generator. Linux only (/proc);
// elsewhere the report says nothing about it.
import { readFileSync } from "node:fs";

/** Clock ticks per second of /proc's CPU times (USER_HZ, 100 on every Linux the bench runs on). */
const TICKS = 100;

/** CPU seconds a reading adds up to. */
export interface CpuReading {
  /** Every process on the machine: user, nice, system, irq and softirq time of all cores. */
  readonly machine: number;
  /** Time the hypervisor gave the machine's cores to other guests (steal). */
  readonly steal: number;
  /** This process and the children it has waited for (servers, load generator, builds). */
  readonly own: number;
}

/** What /proc says now; undefined where there is no /proc. */
export function readCpu(): CpuReading | undefined {
  try {
    const cpu = readFileSync("/proc/stat", "utf8").split("\n", 1)[0]!.trim().split(/\s+/).slice(1).map(Number);
    const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = cpu;
    // The fields after the command (which may hold spaces and parentheses): utime is the 14th.
    const self = readFileSync("/proc/self/stat", "utf8");
    const fields = self
      .slice(self.lastIndexOf(")") + 2)
      .split(" ")
      .map(Number);
    const [utime = 0, stime = 0, cutime = 0, cstime = 0] = fields.slice(11, 15);
    return {
      machine: (user + nice + system + irq + softirq) / TICKS,
      steal: steal / TICKS,
      own: (utime + stime + cutime + cstime) / TICKS,
    };
  } catch {
    return undefined;
  }
}

/** What other processes used between two readings, in CPU seconds. */
export interface OtherActivity {
  /** CPU time of processes outside the bench's own tree. */
  readonly otherCpuSeconds: number;
  /** CPU time the hypervisor took for other guests. */
  readonly stealSeconds: number;
}

/**
 * The difference of two readings. Children still running at `end` are not yet in `own`, so the
 * caller reads `end` after its servers and load generator have exited.
 */
export function otherActivity(start: CpuReading, end: CpuReading): OtherActivity {
  const round = (v: number) => Math.round(Math.max(0, v) * 10) / 10;
  return {
    otherCpuSeconds: round(end.machine - start.machine - (end.own - start.own)),
    stealSeconds: round(end.steal - start.steal),
  };
}

import { describe, expect, it } from 'vitest';
import { LeaseTable } from '../src/lease-table.js';

describe('LeaseTable (the per-instance key → token map)', () => {
  it('hands out the oldest token of a key first and forgets tokens on remove', () => {
    const table = new LeaseTable();
    table.add('k', 't1', 1_000);
    table.add('k', 't2', 1_000);
    expect(table.oldest('k')).toBe('t1');
    table.remove('k', 't1');
    expect(table.oldest('k')).toBe('t2');
    table.remove('k', 't2');
    expect(table.oldest('k')).toBeUndefined();
    expect(table.size).toBe(0);
  });

  it('removeAll forgets every claim on a key', () => {
    const table = new LeaseTable();
    table.add('k', 't1', 1_000);
    table.add('k', 't2', 1_000);
    table.add('other', 't3', 1_000);
    table.removeAll('k');
    expect(table.oldest('k')).toBeUndefined();
    expect(table.size).toBe(1);
  });

  it('sweeps leases that expired (claims never completed nor released do not pile up)', () => {
    let now = 0;
    const table = new LeaseTable(100_000, () => now);
    for (let i = 0; i < 1_000; i++) table.add(`abandoned-${i}`, `t${i}`, 10_000);
    now = 20_000;
    for (let i = 0; i < 100; i++) table.add(`live-${i}`, `t${i}`, 10_000);
    expect(table.size).toBe(100);
    expect(table.oldest('abandoned-0')).toBeUndefined();
    expect(table.oldest('live-0')).toBe('t0');
  });

  it('keeps a recently expired lease for a grace second (Redis started its clock later)', () => {
    let now = 0;
    const table = new LeaseTable(100_000, () => now);
    table.add('k', 't', 1_000);
    now = 1_500;
    for (let i = 0; i < 1_100; i++) table.add(`x-${i}`, 't', 10_000);
    expect(table.oldest('k')).toBe('t');
  });

  it('never holds more than maxLeases, dropping the oldest keys', () => {
    const table = new LeaseTable(10);
    for (let i = 0; i < 25; i++) table.add(`k${i}`, `t${i}`, 60_000);
    expect(table.size).toBe(10);
    expect(table.oldest('k14')).toBeUndefined();
    expect(table.oldest('k15')).toBe('t15');
  });
});

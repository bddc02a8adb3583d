import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Queue } from 'bullmq';
import { MetricsService, QueueName } from '@chanxiao/core';
import { Gauge } from 'prom-client';
import type { DataSource } from 'typeorm';

/**
 * The matcher's gauges, read when Prometheus scrapes: proposals by status and source (created, accepted,
 * expired… counted in the database, so every matcher process reports the same truth) and each queue's depth.
 */
@Injectable()
export class MatcherMetrics {
  constructor(
    @InjectDataSource() dataSource: DataSource,
    metrics: MetricsService,
    @InjectQueue(QueueName.Events) events: Queue,
    @InjectQueue(QueueName.Proposals) proposals: Queue,
    @InjectQueue(QueueName.Orders) orders: Queue,
    @InjectQueue(QueueName.Listings) listings: Queue,
    @InjectQueue(QueueName.Demands) demands: Queue,
  ) {
    new Gauge({
      name: 'proposals',
      help: 'Proposals by status and source',
      labelNames: ['status', 'source'],
      registers: [metrics.registry],
      async collect() {
        const rows: { status: string; source: string; n: string }[] = await dataSource
          .query(`SELECT status, source, count(*) AS n FROM proposals GROUP BY status, source`)
          .catch(() => []);
        this.reset();
        for (const r of rows) this.set({ status: r.status, source: r.source }, Number(r.n));
      },
    });
    const queues = [events, proposals, orders, listings, demands];
    new Gauge({
      name: 'queue_depth',
      help: 'Jobs waiting, delayed or active, per queue',
      labelNames: ['queue', 'state'],
      registers: [metrics.registry],
      async collect() {
        for (const queue of queues) {
          const counts = await queue.getJobCounts('wait', 'delayed', 'active', 'failed').catch(() => ({}) as Record<string, number>);
          for (const [state, n] of Object.entries(counts)) this.set({ queue: queue.name, state }, n);
        }
      },
    });
  }
}

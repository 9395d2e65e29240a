import { type Simulator, type SimulatorOptions, startSimulator } from '@ttpay/simulator';
import type { HttpOptions } from '../../src/http/options.js';
import { type CaptureServer, json, startCaptureServer } from './capture-server.js';
import { DEMO_DOUYIN_APP_SECRET, testClients } from './clients.js';

export interface SimulatorHarness {
  sim: Simulator;
  /** Receives the simulator's callbacks and webhooks and acknowledges them. */
  receiver: CaptureServer;
  clients: ReturnType<typeof testClients>;
  /** Clients with other HTTP options, against the same simulator. */
  with(http: HttpOptions): ReturnType<typeof testClients>;
  /** Requests the simulator received for `path`. */
  received(path: string): number;
  close(): Promise<void>;
}

/** A simulator whose callbacks and webhooks go to a local receiver that acknowledges everything. */
export async function startHarness(options: SimulatorOptions = {}): Promise<SimulatorHarness> {
  const receiver = await startCaptureServer((req, res) => {
    // Douyin wants {"err_no":0,"err_tips":"success"}; TikTok and AlgoVoi any 2xx.
    json(200, req.url?.startsWith('/douyin') ? { err_no: 0, err_tips: 'success' } : {})(req, res);
  });
  const sim = await startSimulator({
    timeScale: 0.0001,
    ...options,
    douyin: {
      appSecret: DEMO_DOUYIN_APP_SECRET,
      notifyUrl: `${receiver.url}/douyin/notify`,
      ...options.douyin,
    },
    tiktok: { webhookUrl: `${receiver.url}/tiktok/webhook`, ...options.tiktok },
    algovoi: { webhookUrl: `${receiver.url}/algovoi/webhook`, ...options.algovoi },
  });
  return {
    sim,
    receiver,
    clients: testClients(sim.url),
    with: (http) => testClients(sim.url, http),
    received: (path) => sim.log.filter((e) => e.direction === 'in' && e.path === path).length,
    async close() {
      await sim.close();
      await receiver.close();
    },
  };
}

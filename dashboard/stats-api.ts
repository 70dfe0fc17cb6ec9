import { Router } from 'express';
import { ledgerSummary } from '../adapters/storage/ledger.js';
import type { Storage } from '../adapters/storage/storage.js';

/**
 * `GET /api/stats`: counts from storage (Storage.stats: indexed counts and small group-bys), and the
 * ledger of accepted items by state, as of now.
 */
export function statsApi(storage: () => Promise<Storage>): Router {
  const router = Router();
  router.get('/api/stats', async (_req, res) => {
    const db = await storage();
    const [stats, ledger] = await Promise.all([db.stats(), ledgerSummary(db)]);
    res.json({ at: new Date().toISOString(), ...stats, ledger });
  });
  return router;
}

import { Router } from 'express';
import type { Storage } from '../adapters/storage/storage.js';

/** `GET /api/stats`: counts from storage (Storage.stats: indexed counts and small group-bys), as of now. */
export function statsApi(storage: () => Promise<Storage>): Router {
  const router = Router();
  router.get('/api/stats', async (_req, res) => {
    res.json({ at: new Date().toISOString(), ...(await (await storage()).stats()) });
  });
  return router;
}

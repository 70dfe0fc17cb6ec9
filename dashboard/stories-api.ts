import { Router, type Request, type Response } from 'express';
import type { Storage } from '../adapters/storage/storage.js';

/** Articles one story answer holds at most; `articleCount` says how many the story has. */
export const STORY_ARTICLES_MAX = 500;

/** `GET /api/stories/:id`: the articles filed under a story, the first one stored first; 404 when none is. */
export function storiesApi(storage: () => Promise<Storage>): Router {
  const router = Router();
  router.get('/api/stories/:id', async (req: Request<{ id: string }>, res: Response) => {
    const { total, articles } = await (await storage()).storyArticles(req.params.id, STORY_ARTICLES_MAX);
    if (total === 0) return void res.status(404).json({ error: `no story with id ${req.params.id}` });
    res.json({ storyId: req.params.id, articleCount: total, articles });
  });
  return router;
}

// Feature routers (insights, sources, capture, diff). Each feature adds one import
// and one line to the list below. They are mounted after the core profile routes, so a
// feature cannot shadow a core route; give feature routes their own path segments
// (e.g. /api/profiles/:id/insights).
import type { Router } from 'express';
import type { ProfileService } from '../service/service.js';
import { captureRouter } from './routes/capture.js';
import { diffRouter } from './routes/diff.js';
import { goroutinesRouter } from './routes/goroutines.js';
import { insightsRouter } from './routes/insights.js';
import { mergeRouter } from './routes/merge.js';
import { sourcesRouter } from './routes/sources.js';

export function featureRouters(service: ProfileService): Router[] {
  return [
    diffRouter(service),
    mergeRouter(service),
    captureRouter(service),
    sourcesRouter(service),
    insightsRouter(service),
    goroutinesRouter(service),
  ];
}

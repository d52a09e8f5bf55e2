// Every `-tags` case recorded from go tool pprof (scripts/make-references.sh) must be
// reproduced line for line by `pprof-lens tags`; the -tagroot/-tagleaf cases are `top`
// cases and run in top-references.test.ts.
import { describeReferenceCases } from './engine-references.js';

process.env.TZ = 'UTC';
describeReferenceCases('tags', 60);

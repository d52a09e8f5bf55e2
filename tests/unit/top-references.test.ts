// Every `-top` case recorded from go tool pprof (scripts/make-references.sh) must be
// reproduced line for line by our CLI parser + engine, including every header line.
import { describeReferenceCases } from './engine-references.js';

process.env.TZ = 'UTC';
describeReferenceCases('top', 100);
